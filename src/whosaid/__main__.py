"""``python -m whosaid`` runs the same command line as the ``whosaid`` script, so a source
checkout can be used without installing it (``PYTHONPATH=src python -m whosaid ...``)."""

from whosaid.cli import app

if __name__ == "__main__":
    app(prog_name="whosaid")
