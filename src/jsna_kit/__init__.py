"""jsna-kit: the JSNA chapter on the health needs of people in contact with probation.

Data flows one way: ``load`` (read and validate files and APIs) -> ``model`` (pure statistics)
-> ``present`` (figures, tables, sentences) -> ``build`` (papermill, render, cache) -> ``cli``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("jsna-kit")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0+source"
