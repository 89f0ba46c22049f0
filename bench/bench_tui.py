#!/usr/bin/env python3
"""bench_tui: drives the real caseload binary through a pseudo-terminal and reports how long the
first screen takes (from starting the process to its status line arriving) and, per kind of keypress, the median and worst time from sending the key to the
last byte of the redraw (and the app's CPU time up to it), then how long the counts of a text of
one or two characters take to come after its rows, how long the reports screen takes to open and
to show each report, plus the app's peak resident memory (VmHWM).

usage: bench/bench_tui.py CASELOAD DATABASE [--as-of YYYY-MM-DD] [--size 100x30] [--rounds N]

A redraw is over when the terminal has been quiet for QUIET seconds; the latency is measured to the
last byte received, so the quiet wait itself is not counted.
"""
import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import termios
import time

QUIET = 0.04


def read_until_quiet(fd, first_timeout=5.0, on_chunk=None):
    """Reads until QUIET seconds pass without output. Returns (bytes, time of the last byte).
    on_chunk, if given, is called as each chunk arrives."""
    out = bytearray()
    last = None
    deadline = time.monotonic() + first_timeout
    while True:
        wait = QUIET if last is not None else max(0.0, deadline - time.monotonic())
        r, _, _ = select.select([fd], [], [], wait)
        if not r:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        last = time.monotonic()
        if on_chunk:
            on_chunk()
    return bytes(out), last


def main():
    global QUIET
    ap = argparse.ArgumentParser()
    ap.add_argument('caseload')
    ap.add_argument('database')
    ap.add_argument('--as-of', default='2022-03-01')
    ap.add_argument('--size', default='100x30')
    ap.add_argument('--rounds', type=int, default=1)
    a = ap.parse_args()
    cols, rows = (int(x) for x in a.size.split('x'))

    env = dict(os.environ, TERM='xterm-256color', LC_ALL='C.UTF-8')
    env.pop('NO_COLOR', None)
    t0 = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
        os.execve(a.caseload, [a.caseload, '--db', a.database, '--as-of', a.as_of], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
    # The first screen: until the status line ("shown of") has been drawn and output stops.
    buf = bytearray()
    first = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            chunk = os.read(fd, 65536)
            buf += chunk
            if b'shown of' in buf:  # the status line: drawn last, in the same refresh
                first = time.monotonic() - t0
                break
    # The overdue count is filled in after the first screen (curses sends only what changed, so
    # wait for the output to stop for a while); keys are timed from then on.
    settled = None
    if first is not None:
        QUIET, quiet = 0.3, QUIET
        _, last = read_until_quiet(fd, 0.3)
        QUIET = quiet
        settled = (last - t0) if last else None
    if first is None:
        print('bench_tui: the first screen did not appear', file=sys.stderr)
        os.kill(pid, signal.SIGTERM)
        return 1

    plan = []
    for _ in range(a.rounds):
        plan += [('move (j)', b'j')] * 40 + [('move (k)', b'k')] * 20
        plan += [('page (PgDn)', b'\x1b[6~')] * 15 + [('page (PgUp)', b'\x1b[5~')] * 10
        plan += [('end (G)', b'G'), ('top (g)', b'g')] * 5
        plan += [('issue type (])', b']')] * 11 + [('issue type ([)', b'[')] * 11
        for word in ('smith', 'oakfield', 'r21'):
            plan += [('open filter (/)', b'/')]
            for i, c in enumerate(word.encode()):
                kind = '1-2 chars' if i < 2 else '3+ chars'
                plan += [('type in / (%s)' % kind, bytes([c]))]
            plan += [('backspace in /', b'\x7f')] * 2
            plan += [('clear / (Esc)', b'\x1b')]
        plan += [('open detail (Enter)', b'\r'), ('detail scroll (j)', b'j'),
                 ('back (q)', b'q')] * 5
    def cpu_ns():  # time the app has run on a CPU (so contention from other programs shows)
        try:
            with open('/proc/%d/schedstat' % pid) as f:
                return int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return 0

    times = {}
    cpu = {}
    slow = []
    for label, key in plan:
        c0 = cpu_ns()
        sent = time.monotonic()
        os.write(fd, key)
        # The app's CPU up to the last byte of the redraw (not the work it does after drawing,
        # such as a short text's counts, while this waits for the quiet).
        at_last = [c0]
        _, last = read_until_quiet(fd, 2.0, lambda: at_last.__setitem__(0, cpu_ns()))
        if last is None:
            continue  # nothing to redraw (e.g. k at the top)
        ms = (last - sent) * 1000
        times.setdefault(label, []).append(ms)
        cpu.setdefault(label, []).append((at_last[0] - c0) / 1e6)
        if ms > 30:
            slow.append('%s %r: %.1f ms (app CPU %.1f ms)' % (label, key, ms, cpu[label][-1]))

    # A text of one or two characters: its page is drawn at once, its counts (the sidebar's, the
    # count shown) are counted slice by slice after it, the keys still answered (issue 11), and so
    # is the rest of a page that ran out of time (issue 8); how long until the whole answer is on
    # screen, from the key, and the app's CPU for it. Not a keypress.
    counted = []
    for word in (b's', b'r', b'zq'):
        os.write(fd, b'/')
        read_until_quiet(fd, 2.0)
        c0 = cpu_ns()
        sent = time.monotonic()
        os.write(fd, word)
        QUIET, quiet = 3.0, QUIET  # the counts come in one redraw after the page's
        _, last = read_until_quiet(fd, 20.0)
        QUIET = quiet
        if last is not None:
            counted.append((word.decode(), (last - sent) * 1000, (cpu_ns() - c0) / 1e6))
        os.write(fd, b'\x1b')
        read_until_quiet(fd, 2.0)

    # The reports screen (issue 4: a report within 0.5 s): opening it on the summary, then each
    # report in turn; not part of the 30 ms keypresses above.
    reports = []
    for label, key in [('open reports (r)', b'r')] + [
            ('report %s' % name, str(i + 1).encode())
            for i, name in enumerate(('summary', 'suspensions', 'attendance', 'cme', 'admissions'))
            if i > 0] + [('report summary', b'1')]:
        sent = time.monotonic()
        os.write(fd, key)
        _, last = read_until_quiet(fd, 5.0)
        if last is not None:
            reports.append((label, (last - sent) * 1000))
    os.write(fd, b'q')
    read_until_quiet(fd, 2.0)

    hwm = '?'
    try:
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                if line.startswith('VmHWM'):
                    hwm = line.split(':', 1)[1].strip()
    except OSError:
        pass
    os.write(fd, b'q')
    read_until_quiet(fd, 2.0)
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass

    print('first screen: %.1f ms' % (first * 1000))
    if settled is not None:
        print('overdue count shown: %.1f ms' % (settled * 1000))
    allt = []
    allc = []
    print('%-24s %5s %9s %9s   %s' % ('keypress', 'n', 'median', 'worst', 'app CPU median/worst'))
    for label, ts in times.items():
        allt += ts
        cs = cpu[label]
        allc += cs
        print('%-24s %5d %7.1f ms %7.1f ms   %5.1f / %5.1f ms' % (
            label, len(ts), statistics.median(ts), max(ts), statistics.median(cs), max(cs)))
    if allt:
        print('%-24s %5d %7.1f ms %7.1f ms   %5.1f / %5.1f ms' % (
            'all keypresses', len(allt), statistics.median(allt), max(allt),
            statistics.median(allc), max(allc)))
    for word, ms, c in counted:
        print('%-24s %7.1f ms   app CPU %.1f ms' % ('all of /%s shown' % word, ms, c))
    for label, ms in reports:
        print('%-24s %7.1f ms%s' % (label, ms, '   over 0.5 s' if ms > 500 else ''))
    print('peak resident memory (VmHWM): %s' % hwm)
    for line in slow:
        print('over 30 ms: ' + line)
    return 0


sys.exit(main())
