"""The driver's watchdog and event lines (mlship_runtime/supervisor.py): pure parts, then a real orphaned process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

from conftest import SPARK_SCRIPTS
from mlship_runtime import supervisor as sv


def test_event_line_is_one_compact_json_line_with_the_progress_prefix() -> None:
    line = sv.event_line({"uiWebUrl": "http://h:4040", "applicationId": "local-17"})
    assert line == 'mlship: event {"applicationId":"local-17","uiWebUrl":"http://h:4040"}'
    assert json.loads(line[len(sv.EVENT_PREFIX):]) == {"applicationId": "local-17", "uiWebUrl": "http://h:4040"}


def test_supervisor_pid_is_read_only_when_it_is_a_real_pid() -> None:
    assert sv.supervisor_pid({sv.SUPERVISOR_PID_ENV: "4242"}) == 4242
    for bad in ("", "0", "1", "-5", "12x", " "):
        assert sv.supervisor_pid({sv.SUPERVISOR_PID_ENV: bad}) is None
    assert sv.supervisor_pid({}) is None
    assert sv.start_watchdog({}) is None  # no supervisor named: no watchdog


def test_proc_stat_fields_count_from_the_last_parenthesis() -> None:
    fields = " ".join(["S"] + [str(i) for i in range(4, 22)] + ["987654", "0", "0"])
    assert sv.parse_proc_stat(f"123 (we ird) name)) {fields}") == ("S", 987654)
    assert sv.parse_proc_stat("garbage") is None
    assert sv.parse_proc_stat("1 (x) S 2 3") is None


def test_alive_means_the_same_process_and_not_a_zombie() -> None:
    assert sv.is_alive(7, 100, lambda pid: ("S", 100))
    assert not sv.is_alive(7, 100, lambda pid: ("S", 101))  # the pid was reused by another process
    assert not sv.is_alive(7, 100, lambda pid: ("Z", 100))  # dead, not yet reaped by its parent
    assert not sv.is_alive(7, 100, lambda pid: None)
    me = sv.process_stamp(os.getpid())
    assert me is not None and sv.is_alive(os.getpid(), me[1])


def test_stop_then_exit_gives_up_on_a_stop_that_hangs() -> None:
    exited: list[int] = []
    started = time.monotonic()
    sv.stop_then_exit(lambda: time.sleep(30), exited.append, grace=0.2)
    assert exited == [sv.SUPERVISOR_LOST_EXIT] and time.monotonic() - started < 5
    sv.stop_then_exit(lambda: 1 / 0, exited.append, grace=1)  # an error while stopping still exits
    assert exited == [sv.SUPERVISOR_LOST_EXIT] * 2


def test_a_driver_whose_supervisor_is_killed_exits_by_itself() -> None:
    # supervisor (sleep) <- driver (python with the watchdog); SIGKILL the supervisor, the driver must end.
    supervisor = subprocess.Popen(["sleep", "60"])
    driver_code = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(SPARK_SCRIPTS)!r})
        from mlship_runtime.supervisor import start_watchdog, stop_then_exit
        start_watchdog(poll=0.1, on_lost=lambda: stop_then_exit(lambda: None))
        print("watching", flush=True)
        time.sleep(60)
    """)
    env = {**os.environ, sv.SUPERVISOR_PID_ENV: str(supervisor.pid)}
    driver = subprocess.Popen([sys.executable, "-c", driver_code], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert driver.stdout is not None and driver.stdout.readline().strip() == "watching"
        time.sleep(0.3)
        assert driver.poll() is None  # alive while its supervisor is
        supervisor.kill()  # left unreaped for a moment: a zombie counts as gone
        started = time.monotonic()
        assert driver.wait(timeout=10) == sv.SUPERVISOR_LOST_EXIT
        assert time.monotonic() - started < 5
    finally:
        supervisor.kill()
        supervisor.wait()
        driver.kill()
        driver.wait()
