"""Start mlcalc-gui:  python main.py  [--screenshot DIR] [--size WxH]"""

import sys

from mlcalc_gui.app import main

if __name__ == "__main__":
    sys.exit(main())
