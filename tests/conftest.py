"""Session set-up shared by every test module.

The xlwings dispatch tests run the real ``xlwings.server`` code, which needs a licence key
(the free noncommercial one) and server mode. Both are set here, by the tests themselves,
before any module imports xlwings: xlwings picks its ``func``/``script`` decorators when it
is first imported. The product never reads or needs them.
"""

import os

os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"
os.environ["XLWINGS_ON_SERVER"] = "true"
