"""The Jupyter kernel the chapter notebooks run in.

A dedicated kernelspec ``jsna-kit`` pointing at *this* interpreter avoids picking up some other
``python3`` kernel on the machine that lacks the package. It is installed into ``sys.prefix``
(the virtual environment) on first use, which is what ``python -m ipykernel install --sys-prefix
--name jsna-kit`` does by hand.
"""

from __future__ import annotations

import sys

from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

KERNEL_NAME = "jsna-kit"


def ensure_kernel(name: str = KERNEL_NAME) -> str:
    """Return a kernel name whose interpreter is this one, installing the spec if needed."""
    manager = KernelSpecManager()
    try:
        spec = manager.get_kernel_spec(name)
        if spec.argv and spec.argv[0] == sys.executable:
            return name
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    try:
        install(kernel_name=name, display_name="Python (jsna-kit)", prefix=sys.prefix)
    except PermissionError:
        install(kernel_name=name, display_name="Python (jsna-kit)", user=True)
    return name
