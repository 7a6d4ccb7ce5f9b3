"""The numerical and symbolic core of mlcalc-gui: numpy and sympy only, no Qt.

Every module here can be used from a notebook::

    from mlcalc_gui.core.expressions import parse_function
    from mlcalc_gui.core.calculus import gradient_descent
"""
