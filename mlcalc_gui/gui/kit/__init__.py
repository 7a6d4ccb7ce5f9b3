"""The tab kit: what every tab is made of.

* :mod:`.tab`: :class:`~.tab.TutorTab`, the base of every tab (lazy building, its
  workers stopped on leave, its keys), and the small layout pieces every panel uses;
* :mod:`.page`: :class:`~.page.Page`, one view of a tab with its own panel, views, run,
  state slice, explanation and keys, and :class:`~.page.PagedTab`, a tab that hosts
  several pages;
* :mod:`.binder`: :class:`~.binder.Binder`, controls bound to the fields of a page's
  frozen state (the state is the truth, the controls mirror it).

The kit imports no tab; the run kit (gui/run/) imports none of it.
"""
