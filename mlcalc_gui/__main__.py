import sys

from mlcalc_gui.app import main

sys.exit(main())
