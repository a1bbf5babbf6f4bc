"""``spark-submit .../eventmatch/spark/__main__.py --rules RULES INPUT...``: the replay job, as a
file Spark can submit (``python -m eventmatch.spark`` works too). Same options as ``eventmatch replay``."""

import sys

from eventmatch.cli import main

if __name__ == "__main__":
    sys.exit(main(["replay", *sys.argv[1:]]))
