import os
import subprocess
import sys

from tests.benchmarks.web import processes


def test_a_processs_children_and_memory_are_read_from_proc():
    # given a child process
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        # then it is found among this process's children, with its memory
        assert child.pid in processes.children(os.getpid())
        assert 1 < processes.rss_mb(child.pid) < 500
        assert 0 < processes.pss_mb(child.pid) <= processes.rss_mb(child.pid) + 1
    finally:
        child.kill()
        child.wait()
