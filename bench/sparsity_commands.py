"""How the bench scripts run `sparsity`: one home for the --sparsity and --print-commands options.

--print-commands DIR makes a script write its input files into DIR and print, one JSON array a
line, the argument lists it would pass to `sparsity` (without the executable), running nothing
and needing only numpy. Tests/SparsityCLITests/BenchScriptsTests.swift runs the printed lines
against the built executable at tiny sizes, so a documented benchmark cannot silently rot.
"""
import json
import os
import platform
import resource
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def add_arguments(parser):
    """Adds --sparsity PATH and --print-commands DIR to an argparse parser."""
    parser.add_argument("--sparsity", default=os.path.join(ROOT, ".build", "release", "sparsity"),
                        help="the sparsity executable (default: .build/release/sparsity)")
    parser.add_argument("--print-commands", metavar="DIR",
                        help="write the inputs into DIR and print the sparsity argument lists, one JSON array a"
                             " line, without running anything (needs only numpy)")


def printing(args):
    """True in --print-commands mode."""
    return args.print_commands is not None


def work_directory(args, temporary):
    """The directory for input and output files: DIR of --print-commands (created), else `temporary`."""
    if printing(args):
        os.makedirs(args.print_commands, exist_ok=True)
        return args.print_commands
    return temporary


def run(args, arguments, **options):
    """Runs `sparsity ARGUMENTS` (subprocess.run options pass through) and returns the
    CompletedProcess; in --print-commands mode prints the argument list once and returns None."""
    if printing(args):
        line = json.dumps([str(a) for a in arguments])
        if line not in _printed:
            _printed.add(line)
            print(line, flush=True)
        return None
    return subprocess.run([args.sparsity] + [str(a) for a in arguments], **options)


_printed = set()


def busy_cpu_seconds():
    """CPU seconds the machine has spent busy since boot, all cores, steal included (/proc/stat),
    or None where unknown."""
    try:
        with open("/proc/stat") as handle:
            fields = handle.readline().split()
    except OSError:
        return None
    if fields[:1] != ["cpu"] or len(fields) < 9:
        return None
    user, nice, system, _, _, irq, softirq, steal = (int(v) for v in fields[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class OtherLoad:
    """How many cores other processes (and the hypervisor's steal) took while a timing ran: the
    machine's busy CPU time less this process's and its finished children's, over the wall time.
    Near 0 on a quiet machine; a timing with much more is noisy. `cores()` is None off Linux."""

    def __init__(self):
        self.busy, self.own, self.started = busy_cpu_seconds(), _own_cpu_seconds(), time.perf_counter()

    def cores(self):
        busy, wall = busy_cpu_seconds(), time.perf_counter() - self.started
        if busy is None or self.busy is None or wall <= 0:
            return None
        return max(0.0, (busy - self.busy) - (_own_cpu_seconds() - self.own)) / wall


def _own_cpu_seconds():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def cpu_model():
    """The CPU's model name from /proc/cpuinfo (else what `platform` knows), for the reports."""
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()
