"""Print Odoo's Python requirements as pins that install on this interpreter.

Odoo 18 pins old releases for Python 3.11 (cbor2 5.4.2, for one) whose source
builds fail with current setuptools.  The releases it pins for Python 3.12 all
ship wheels for 3.11 too, so every environment marker is evaluated as if the
interpreter were 3.12.  Windows-only lines drop out as usual.
"""

import sys

from packaging.markers import default_environment
from packaging.requirements import Requirement

PRETEND = {"python_version": "3.12", "python_full_version": "3.12.0"}


def pins(path):
    env = dict(default_environment(), **PRETEND)
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate(env):
                requirement.marker = None
                yield str(requirement)


if __name__ == "__main__":
    print("\n".join(pins(sys.argv[1])))
