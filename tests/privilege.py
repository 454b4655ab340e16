"""Running where permission bits bind: tests here and in CI run as root, which reads any file.

Two ways, for two kinds of test: a command run as a subprocess keeps root's identity but loses
the capabilities that override file permissions (util-linux's `setpriv`), so it still reaches
the interpreter under /root; a check run in-process forks and drops to `nobody`.
"""

from __future__ import annotations

import os

_OVERRIDES = "-dac_override,-dac_read_search"
SUBPROCESS_PREFIX = (
    ["setpriv", "--bounding-set", _OVERRIDES, "--inh-caps", _OVERRIDES] if os.geteuid() == 0 else []
)
"""Put before a command's argv: it runs as the owner of the files, not as their overrider."""


def unprivileged(check) -> None:
    """Run `check` where a permission bit binds: as root, in a child dropped to `nobody`."""
    if os.geteuid() != 0:
        check()
        return
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report the failure, if any, through the pipe
        os.close(read_end)
        try:
            os.setgid(65534)
            os.setuid(65534)
            check()
            status = 0
        except BaseException as e:  # every failure, assertions included, goes to the parent
            os.write(write_end, repr(e).encode())
            status = 1
        os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        failure = pipe.read().decode()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, failure
