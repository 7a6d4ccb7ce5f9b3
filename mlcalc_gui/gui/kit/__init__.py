"""The tab kit: what every tab is made of.

* :mod:`.tab`: :class:`~.tab.TutorTab`, the base of every tab (lazy building, its
  workers stopped on leave, its keys);
* :mod:`.shortcuts`: :class:`~.shortcuts.Shortcut` and :class:`~.shortcuts.Clicker`,
  keys and clicker steps as callables of the tab;
* :mod:`.widgets`: the small layout pieces every panel uses (the control column, the
  explanation, titled views, error and note labels);
* :mod:`.page`: :class:`~.page.Page`, one view of a tab with its own panel, views, run,
  state slice, explanation and keys, and :class:`~.page.PagedTab`, a tab that hosts
  several pages;
* :mod:`.binder`: :class:`~.binder.Binder`, controls bound to the fields of a page's
  frozen state (the state is the truth, the controls mirror it).

The kit imports no tab; the run kit (gui/run/) imports none of it.
"""
