"""
Plain `bridge plan`: blocks with their criteria, systems and attached runs, then the runs
attributed to no block with the reason, and warnings printed as written (not read as markup).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bridge.plan import load_plan, load_project
from tests.conftest import SHARED, needs_shared
from tests.e2e.test_cli import QUICKSTART, bridge
from tests.in_process import bridge_here
from tests.plan.corpus import as_project
from tests.plan.test_attribution import PLAN, TOML, TRACKER, write


def test_blocks_runs_and_unattributed(tmp_path: Path) -> None:
    """The view a researcher checks before `bridge run`, through the real console script."""
    write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", PLAN)
    write(tmp_path, "refine-logs/EXPERIMENT_TRACKER.md", TRACKER)
    write(tmp_path, "bridge.toml", TOML)
    done = bridge("plan", "--project", str(tmp_path))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "B1: Main\n  criterion: Scaled centroid accuracy > 2% over raw-centroid\n" in out
    assert "  read as:   **Scaled centroid** (ours) vs `raw-centroid`" in out
    assert (
        "  runs:      `raw-centroid` (baseline, unscaled features): R001; "
        "**Scaled centroid** (ours): R005\n" in out
    )
    assert "runs not attributed to a block: 3 of 10\n" in out
    assert "  R004 (Scaled centroid): the tracker's Block column names 2 blocks (B1, B2)" in out
    # "[[runs]]" and "[systems]" in the warning survive the console.
    assert "Set `block` on the run's [[runs]] entry or its [systems] table" in out


@needs_shared
def test_a_milestone_whose_blocks_runs_are_elsewhere_says_where_under_the_table(
    tmp_path: Path,
) -> None:
    """Trial t16 on 018: M2's row read «M2 │ joint toy/工具任务 │ │ 0 │ -» and nothing said why
    (its Runs cell names JPH-B2-JT-S0, which runs once with its arms under M3). A line under
    the table says where its block's runs are, as `bridge status` and the results do; M4, of
    no block, and 006's "Paper Writing" get no reason: none is needed."""
    shutil.copytree(SHARED / "projects" / "018_areal-harness-cn" / "refine-logs", tmp_path / "r")
    (tmp_path / "r").rename(tmp_path / "refine-logs")
    done = bridge_here("plan", "--project", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "\n0 个运行：M2（B2 的运行都在 M3 中）\n" in done.stdout, done.stdout
    done = bridge_here("plan", "-o", "language=en", "--project", str(tmp_path))
    assert "\n0 runs: M2 (B2's runs are in M3)\n" in done.stdout, done.stdout
    paper = as_project("006", tmp_path / "006")
    done = bridge_here("plan", "--project", str(paper))
    assert done.returncode == 0, done.stderr
    assert "\n0 runs: " not in done.stdout, done.stdout


@needs_shared
def test_gpu_hours_are_those_of_the_runs_with_the_plans_cost_labelled(tmp_path: Path) -> None:
    """018's table read M0 and M3 ~0.00 (CPU runs) beside M2 ~32.00 and M4 ~1280.00, the
    plan's Cost for milestones with no run, and the total added those hours. Now one rule: the
    cell is the estimate of the runs bridge launches there, "-" for a milestone with none (the
    plan's figure named under the table, not counted), and a number taken from the plan's Cost
    says so."""
    shared = SHARED / "projects" / "018_areal-harness-cn" / "refine-logs"
    shutil.copytree(shared, tmp_path / "refine-logs")
    done = bridge_here("plan", "--project", str(tmp_path))
    assert done.returncode == 0, done.stderr
    rows = {
        line.split("│")[1].strip(): [cell.strip() for cell in line.split("│")[4:6]]
        for line in done.stdout.splitlines()
        if line.startswith("│ M")
    }
    assert rows == {
        "M0": ["5", "~0.00"],
        "M1": ["3", "~0.00"],
        "M2": ["0", "-"],
        "M3": ["4", "~0.00"],
        "M4": ["0", "-"],
    }
    assert (
        "\n-：没有运行，不计 GPU 小时；计划成本写着 M2（8–32 GPUh）、M4（累计 800–1600 GPUh）\n"
    ) in done.stdout
    assert "\n估计：~0.00 GPU-h\n" in done.stdout
    # With GPUs asked for, the runs carry no estimate: the plan's Cost stands in, labelled.
    (tmp_path / "bridge.toml").write_text(
        '[bridge]\nbackend = "ssh"\n[run]\ngpus = 8\n[backends.ssh]\nremote_dir = "/r"\n'
        '[[backends.ssh.hosts]]\nhost = "x"\n',
        encoding="utf-8",
    )
    done = bridge_here("plan", "--project", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "│ M3           │ tau2 单 seed pilot     │        │ 4    │ ~256.00（计划成本） │" in (
        done.stdout
    )
    assert "│ M2           │ joint toy/工具任务     │        │ 0    │ -                   │" in (
        done.stdout
    )
    # M0's five rows (M1's three, the 13 of no milestone) the tracker marks done before
    # bridge: nothing left to spend there. M0 read the plan's ~32.00 and the total 288; its
    # Cost is named under the table, as written, and the total says what it covers.
    assert "│ M0           │ 环境与 contract sanity │ 是     │ 5    │ ~0.00（无待启动）   │" in (
        done.stdout
    )
    assert (
        "\n无待启动：运行在追踪表中均已完成或排除，不计 GPU 小时；计划成本写着 M0（16–32 GPUh）\n"
    ) in done.stdout
    assert (
        "\n估计：~256.00 GPU-h，为待启动运行的估计（追踪表标为已完成或排除的 21 个运行不计入）\n"
    ) in done.stdout


@needs_shared
def test_the_main_result_is_named_before_anything_runs(tmp_path: Path) -> None:
    """001's run order has `M2: Core`: `bridge plan` says it gives the main result, and why."""
    done = bridge_here("plan", "--project", str(as_project("001", tmp_path)))
    assert done.returncode == 0, done.stderr
    assert "\nmain result: M2 Core (its name or goal says so)\n" in done.stdout
    # Each block's claims (its Claim tested field's, then the claim map's links; as written
    # where neither names an id), then the claim map with the blocks testing each, in the same
    # reading: read and shown nowhere before (h39D).
    assert "\n  claims:    C3, C1\n" in done.stdout  # B2 names C3, the map links C1 to it
    assert "\n  claims:    Supporting — DepthGeometryNet design choice\n" in done.stdout  # B5
    assert (
        "\nclaims the plan states (bridge judges the blocks that test them, not the claims)\n"
        "  C1: Depth-conditioned PEFT > Standard PEFT — evidence: DepthGate > Standard LoRA on "
        "overall accuracy AND on depth-sensitive subset, statistically significant — tested by "
        "B1, B2, B4\n"
    ) in done.stdout


@needs_shared
def test_a_plan_without_blocks_shows_its_claims(tmp_path: Path) -> None:
    """032's claim map C1–C5 (its criteria, as Required Evidence) was shown nowhere: the plan
    has no blocks, and `bridge plan` said only that it has none (trial h39D F8)."""
    root = as_project("032", tmp_path)
    done = bridge_here("plan", "--project", str(root))
    assert done.returncode == 0, done.stderr
    assert (
        "  C2: Constrained aggregation reduces AggViol with bounded utility loss — evidence: "
        "AggViol(ours) << AggViol(FedAvg), utility gap < 5% — no block tests it: its evidence "
        "is judged nowhere\n"
    ) in done.stdout
    assert done.stdout.count("no block tests it") == 5
    done = bridge_here("plan", "--project", str(root), "--json")
    (c1, *_) = json.loads(done.stdout)["claims"]
    assert c1 == {
        "id": "C1",
        "text": "FedAvg produces post-aggregation policy violations",
        "evidence": "Show AggViol >> PersViol for FedAvg",
        "blocks": [],
    }


@needs_shared
def test_the_other_milestones_named_main_are_said_beside_the_choice(tmp_path: Path) -> None:
    """005: "M2 Decisive: A3 first" (a framing gate) was chosen with no word of "M3 Headline",
    which runs B1 "Table 1 (main, headline)": the others are named with how to choose."""
    done = bridge_here("plan", "--project", str(as_project("005", tmp_path)))
    assert done.returncode == 0, done.stderr
    assert (
        "\nmain result: M2 Decisive: A3 first (its name or goal says so; M3 Headline, M4 "
        "Decisive say so too: if one of them is the main one, set main_milestone in "
        "bridge.toml)\n"
    ) in done.stdout


@needs_shared
def test_first_to_launch_leaves_out_rows_done_before_bridge(tmp_path: Path) -> None:
    """009's tracker marks R001 (M0) and R002 (M1) DONE: the first run bridge launches is R003."""
    done = bridge_here("plan", "--project", str(as_project("009", tmp_path)))
    assert done.returncode == 0, done.stderr
    assert "\nfirst to launch: R003 (signal diagnostics)\n" in done.stdout
    # and says which rows it leaves alone (getting-started.md promises it): R004's Notes say
    # its API run is user-only
    assert (
        "\nnot launched: 2 the tracker says are done or ended before bridge (R001, R002); "
        "1 out of scope or not experiment runs (R004)\n" in done.stdout
    )


@needs_shared
def test_rows_the_tracker_says_are_blocked_are_said_blocked(tmp_path: Path) -> None:
    """002's R006, R009-R011 `**BLOCKED**` were "out of scope or not experiment runs" here, with
    its PAUSED and CANCELLED rows, while the summary said blocked (R006's Notes, "BLOCKED —
    mechanism gate failed", even made it "out of scope" there)."""
    done = bridge_here("plan", "--project", str(as_project("002", tmp_path)))
    assert done.returncode == 0, done.stderr
    assert (
        "; 4 the tracker says are blocked (R006, R009, R010, R011); "
        "4 out of scope or not experiment runs (R002, R003, R012, R013)\n" in done.stdout
    ), done.stdout


@needs_shared
def test_a_plan_whose_every_row_is_settled_says_nothing_launches(tmp_path: Path) -> None:
    """029's 14 rows are all DONE: there was no "first to launch" line and no word of them;
    nor of the seed two rows' Command cells pass, which a retry would not."""
    done = bridge_here("plan", "--project", str(as_project("029", tmp_path)))
    assert done.returncode == 0, done.stderr
    assert (
        "\nfirst to launch: none (every row is done before bridge or out of scope)\n" in done.stdout
    )
    assert "\nnot launched: 14 the tracker says are done or ended before bridge (R001, " in (
        done.stdout
    )
    # R041's and R042's Command cells pass `--seed 42`, which bridge does not read (h39D F15).
    assert (
        "warning refine-logs/EXPERIMENT_TRACKER.md:15: the tracker's Command cells of R041, "
        "R042 pass --seed 42, which bridge does not read (it runs bridge.toml's command, not "
        "the tracker's): these runs have no seed of their own; to run them with seed 42, give "
        "the tracker a Seed column (or write 'seed 42' in their Notes)\n"
    ) in done.stdout + done.stderr
    from bridge.projections.plan_words import warning_in_language

    (seed,) = [w for w in load_project(tmp_path).warnings if "--seed" in w.message]
    assert warning_in_language(seed.message, "zh") == (
        "追踪表中 R041, R042 的 Command 单元格传入 --seed 42，bridge 不读取它（bridge 运行的是 "
        "bridge.toml 的命令，而不是追踪表中的）：这些运行没有自己的种子；要以种子 42 运行它们，"
        "请给追踪表加一个 Seed 列（或在其备注中写 'seed 42'）"
    )
    tracker = tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    for result in ("xgb}.json` | ", "mlp.json` | "):
        text = text.replace(result, f"{result}seed 42. ")
    tracker.write_text(text, encoding="utf-8")
    loaded = load_project(tmp_path)
    assert [r.seed for r in loaded.runs if r.id in ("R041", "R042")] == [42, 42]
    assert not [w for w in loaded.warnings if "--seed" in w.message]


@needs_shared
def test_first_to_launch_without_milestones(tmp_path: Path) -> None:
    """017 has no run order: the first runs are those of the tracker's first (empty) milestone,
    each named by its system, else by what its row says it is for (never "R001 ()"); with no
    sanity milestone, the first of them alone, as the sanity check. Six are named and the rest
    counted: R008 and R009 went unsaid (trial h40C)."""
    done = bridge_here("plan", "--project", str(as_project("017", tmp_path)))
    assert done.returncode == 0, done.stderr
    assert (
        "\nfirst to launch: R001 (Decode Profiling Baseline), alone, as the sanity check (the "
        "plan names no sanity milestone; `sanity_first = false` in bridge.toml [bridge] "
        "launches every run at once); then R002 (Virtual PIM Cost Model), R003 (GPU-only), "
        "R004 (static attention-to-PIM), R005 (threshold heuristic), R006 (online predictor), "
        "R007 (oracle) and 2 more\n"
    ) in done.stdout


@needs_shared
def test_first_to_launch_waits_for_running_rows_and_leaves_deferred_ones(tmp_path: Path) -> None:
    """027's tracker: R-M0-EVAL is IN_PROGRESS (it holds the plan, so it is not among the first
    launches: the line says they wait for it), R-B0-REVIEW's "GO" is its review's verdict (done
    before bridge; it was launched again), and R-S-MULTI's Priority DEFERRED puts its three
    seeds' runs off: recorded as not launched, with the priority as the reason."""
    from bridge.pipeline.recording import tracker_status_events
    from bridge.plan import load_project

    root = as_project("027", tmp_path)
    done = bridge_here("plan", "--project", str(root), "-o", "language=en")
    assert done.returncode == 0, done.stderr
    assert (
        "\nfirst to launch: R-L3-V (L3 + x0 head/v-space loss + JiT t distribution, GPU0-3) — "
        "once the rows the tracker says are running are settled (R-M0-EVAL, R-L3)\n"
    ) in done.stdout
    review = next(r for r in load_project(root).runs if r.id == "R-B0-REVIEW")
    assert review.settled_before_bridge and review.status == "done"
    deferred = [r for r in load_project(root).runs if r.id.startswith("R-S-MULTI")]
    assert [r.id for r in deferred] == [f"R-S-MULTI-s{n}" for n in (3407, 3408, 3409)]
    assert all(r.settled_before_bridge for r in deferred)
    (ruled_out,) = tracker_status_events(deferred[0])
    # The plan is Chinese: bridge's word for the column is too (trial: "(priority DEFERRED)"
    # among Chinese progress lines).
    assert ruled_out.reason == "NOT_SCHEDULED（优先级：DEFERRED）"


def test_a_status_set_out_of_scope_on_a_succeeded_run_offers_no_retry() -> None:
    """SKIPPED on a run that ran: bridge keeps the result; no retry is suggested for it."""
    from bridge.cli.watch import kept_lines
    from bridge.pipeline.steps.row_status import StatusKept

    change = StatusKept(written="SKIPPED", in_plan=False)
    assert kept_lines({"R004": (change,), "R005": (change,)}) == [
        "R004, R005 succeeded, and the tracker's Status now says SKIPPED: bridge keeps their "
        "results and writes its done status back (a run that has run is not taken out of scope)."
        " To leave their numbers out of the results, delete their rows from the tracker: bridge "
        "sets the runs aside, their results kept in the log, counted in no verdict (put the rows "
        "back to count them again)."
    ]


def test_not_run_on_a_succeeded_run_names_the_way_to_leave_it_out() -> None:
    """`NOT RUN — <reason>` on a run that ran leaves its numbers counted; the line names what
    does leave them out, deleting the row (trial t16 on 018: nothing said how), in the plan's
    own run table where the Status is there (025, no tracker)."""
    from bridge.cli.watch import kept_lines
    from bridge.pipeline.steps.row_status import StatusKept

    word = "NOT RUN — no GPU here"
    (line,) = kept_lines({"R003": (StatusKept(written=word, in_plan=True),)})
    assert line == (
        "R003 succeeded, and its Status in the plan's run table now says NOT RUN — no GPU here: "
        "bridge keeps its result (the plan's Status cells are yours; bridge does not write them)"
        " (a run that has run is not taken out of scope). To leave its numbers out of the "
        "results, delete its row from the plan's run table: bridge sets the run aside, its "
        "result kept in the log, counted in no verdict (put the row back to count it again)."
    )
    (line,) = kept_lines({"R003": (StatusKept(written=word, in_plan=True),)}, "zh")
    assert line.endswith(
        "要把它的数值排除在结果之外，请从计划运行表中删除该行：bridge 会搁置该运行，"
        "结果保留在日志中、不计入任何判定（把行放回即重新计入）。"
    ), line


def test_first_to_launch_when_every_row_left_is_held(tmp_path: Path) -> None:
    """Rows the tracker says are RUNNING hold the rest: "none (every row is done before bridge
    or out of scope)" would be false; it names the rows it waits for."""
    write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", PLAN)
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | System / Variant | Status |\n|---|---|---|---|\n"
        "| R1 | M1 | raw-centroid | RUNNING |\n| R2 | M1 | raw-centroid | DONE |\n",
    )
    done = bridge_here("plan", "--project", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert (
        "\nfirst to launch: none: the rows the tracker says are running run elsewhere (R1), and "
        "bridge launches no other row (`not launched` says why)\n" in done.stdout
    )


@needs_shared
def test_first_to_launch_when_the_rows_left_are_blocked(tmp_path: Path) -> None:
    """025: E-main is running elsewhere (🔄) and the five other rows are read as blocked (❌,
    no legend); the line said they were all "done before bridge or out of scope"."""
    done = bridge_here("plan", "--project", str(as_project("025", tmp_path)))
    assert done.returncode == 0, done.stderr
    assert (
        "\n最先启动：无：追踪表中标为运行中的行在别处运行（E-main），其余的行 bridge 都不启动"
        "（原因见“不会启动”）\n不会启动：5 个追踪表写着受阻（E-rag-sft, A1, A2, A3, A4）\n"
    ) in done.stdout
    assert "已在 bridge 之前完成或不在范围内" not in done.stdout


def test_rows_bridge_ran_are_not_done_before_bridge(tmp_path: Path) -> None:
    """009 after its first run: the rows bridge ran say DONE, and `bridge plan` called them
    "done or ended before bridge"; its part of their Notes says bridge ran them."""
    write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", PLAN)
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | System / Variant | Status | Notes |\n|---|---|---|---|---|\n"
        "| R1 | M1 | raw-centroid | DONE | seed 0; bridge: attempt 1 on local#0:cpu; exit 0 |\n"
        "| R2 | M1 | raw-centroid | DONE | from the server |\n"
        "| R3 | M1 | raw-centroid | TODO | |\n",
    )
    done = bridge_here("plan", "--project", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert (
        "\nnot launched: 1 bridge has run (R1; `bridge status` shows them); 1 the tracker says "
        "are done or ended before bridge (R2)\n" in done.stdout
    )


def test_after_a_run_without_a_tracker_the_runs_are_bridges(tmp_path: Path) -> None:
    """Trial O3 on 040: a project with no tracker, run once; `bridge plan` read the tracker
    bridge wrote whole as the researcher's ("runs from tracker", every run "done or ended
    before bridge", a first launch of none for the wrong reason). The runs still come from the
    plan, and the log says bridge ran them."""
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_PLAN.md",
        "# Plan\n\n### B1: Main\n- Compared systems: ours\n- Metrics: acc\n"
        "- Success criterion: acc ≥ 0.5\n",
    )
    write(
        tmp_path,
        "bridge.toml",
        '[bridge]\nbackend = "local"\nauto_deploy = true\n[run]\n'
        'command = "python3 -c \'import json,sys; json.dump({\\"acc\\": 0.9}, '
        'open(sys.argv[1] + \\"/metrics.json\\", \\"w\\"))\' {output_dir}"\n',
    )
    assert bridge_here("run", "--project", str(tmp_path)).returncode == 3  # proposed: approve first
    assert bridge_here("approve", "--project", str(tmp_path)).returncode == 0
    ran = bridge_here("run", "--project", str(tmp_path))
    assert ran.returncode == 0, ran.stdout + ran.stderr
    tracker = (tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md").read_text(encoding="utf-8")
    assert "Generated by bridge from its event log" in tracker
    done = bridge_here("plan", "--project", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "runs from proposed" in done.stdout
    assert "done or ended before bridge" not in done.stdout
    assert "\nnot launched: 1 bridge has run (R001; `bridge status` shows them)\n" in done.stdout
    assert "\nfirst to launch: none: each run has been run by bridge" in done.stdout
    assert "asks for `bridge approve`" not in done.stdout


@needs_shared
def test_rows_whose_code_is_not_written_are_named_with_what_releases_them(tmp_path: Path) -> None:
    """023: the six PENDING_IMPLEMENTATION rows (its legend: 该实验依赖尚未写入代码) are listed
    apart from the deferred R014, saying what lets them run."""
    done = bridge_here("plan", "--project", str(as_project("023", tmp_path)))
    assert done.returncode == 0, done.stderr
    assert (
        "\n不会启动：6 个追踪表写明代码尚未写好（R020, R021, R022, R023, R030, R041；"
        "代码写好后把该行设为 TODO）；1 个不在范围内或不是实验运行（R014）\n"
    ) in done.stdout


@needs_shared
def test_runs_without_a_system_are_listed_by_id(tmp_path: Path) -> None:
    """030's runs name no system: its blocks read `runs: -: A1, A2`, as if "-" were one."""
    done = bridge_here("plan", "--project", str(as_project("030", tmp_path)))
    assert done.returncode == 0, done.stderr
    assert "\n  runs:      A1, A2\n" in done.stdout
    assert "-: " not in done.stdout


@needs_shared
def test_runs_without_a_system_beside_runs_listed_by_system_are_said_so(tmp_path: Path) -> None:
    """004's B5 lists R401 by its system and R402, R404 (System "—": a figure, a draft) by id
    alone between them: "LSVJ-S + SEAP: R401; R402, R404; R306+R307 output: R403" read as a
    broken line (trial h41N F5)."""
    done = bridge_here("plan", "--project", str(as_project("004", tmp_path)), "-o", "language=en")
    assert done.returncode == 0, done.stderr
    said = " ".join(done.stdout.split())
    assert "runs: LSVJ-S + SEAP: R401; no system: R402, R404; R306+R307 output: R403;" in said


@needs_shared
def test_a_blocks_seeds_and_the_systems_planned_with_fewer_are_said(tmp_path: Path) -> None:
    """027's B1 states 3 seeds and its tracker plans one run of each system: said before
    anything runs, as the results judge them (on the runs planned)."""
    done = bridge_here("plan", "--project", str(as_project("027", tmp_path)))
    assert done.returncode == 0, done.stderr
    assert (
        "  种子：    每个系统 3 个（计划所述）；计划的运行较少、按其判断：current one-stage + "
        "confirmed loss (1), interleaved two-stage + confirmed loss (1), parameter-matched "
        "one-stage (1), FLOP-matched one-stage (1)\n" in done.stdout
    )


@needs_shared
def test_seeds_for_sampling_are_no_seeds_per_system(tmp_path: Path) -> None:
    """039's B1 gives its 3 seeds to sampling ("3 seeds 仅用于并列/采样算法，确定性 MART 报单次
    结果": only for the tie-break and sampling algorithms; the deterministic MART reports one
    result): `bridge plan` said "3 per system, as the plan states" and that the tracker planned
    fewer; it now states no seed count for the block."""
    done = bridge_here("plan", "--project", str(as_project("039", tmp_path)))
    assert done.returncode == 0, done.stderr
    b1 = done.stdout[done.stdout.index("B1: ") : done.stdout.index("B2: ")]
    assert "种子" not in b1, b1


@needs_shared
def test_milestone_listing_one_blocks_systems_places_its_runs(tmp_path: Path) -> None:
    """039's M1 names no block but lists B1's systems ("position-only、statistics、MART"): its
    R003 "MART full" was left in no block, and B1 judged MART on another block's run. It is B1's
    MART; M3's "2×2 support/message + shuffle" places R005 and R006 in B3 the same way."""
    done = bridge_here("plan", "--project", str(as_project("039", tmp_path)))
    assert done.returncode == 0, done.stderr
    assert "  运行：    relative-position only: R002; MART: R003\n" in done.stdout
    # B3 compares MART too, and has no run of it: it is read from B1's R003, and said so.
    assert "R005; source-shuffle best GNN: R006; 取自其他实验块：MART: R003 (B1)\n" in done.stdout
    assert "R003 (MART full)" not in done.stdout


@needs_shared
def test_a_system_read_from_another_block_is_previewed_with_its_block(tmp_path: Path) -> None:
    """A compared system the block has no run of is judged on another block's run of it: the
    preview said nothing of it when the block had runs of its own (039's B1 and B3's R008)."""
    project = as_project("039", tmp_path)
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    tracker.write_text(tracker.read_text().replace("| MART full |", "| MART variant X |"))
    (project / "bridge.toml").write_text(
        '[run]\ncommand = "python3 -c pass"\n[[runs]]\nid = "R008"\nblock = "B3"\n'
        'milestone = "M3"\nsystem = "MART"\n'
    )
    done = bridge_here("plan", "--project", str(project))
    assert done.returncode == 0, done.stderr
    assert (
        "  运行：    relative-position only: R002; MART variant X: R003; "
        "取自其他实验块：MART: R008 (B3)\n"
    ) in done.stdout


def test_a_block_without_systems_is_previewed_with_its_runs_systems(tmp_path: Path) -> None:
    """Trial N3 on 012: a block listing no systems was previewed "no comparison with another
    system" while the results, which read its runs' systems, judged it; the preview reads the
    criterion with the same names."""
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_PLAN.md",
        "# P\n\n## Experiment Blocks\n\n### B1: Main\n\n"
        "- Success criterion: weighted head has lower val_loss than macro head.\n",
    )
    write(
        tmp_path,
        "refine-logs/EXPERIMENT_TRACKER.md",
        "| Run ID | Milestone | Block | System / Variant | Status |\n|---|---|---|---|---|\n"
        "| R1 | M1 | B1 | macro head | TODO |\n| R2 | M1 | B1 | weighted head | TODO |\n",
    )
    write(tmp_path, "bridge.toml", "[run]\ncommand = 'python t.py'\n")
    done = bridge_here("plan", "--project", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "  read as:   weighted head vs macro head: val_loss gain (lower) > 0\n" in done.stdout


@needs_shared
def test_a_plan_without_blocks_shows_its_go_no_go_rules(tmp_path: Path) -> None:
    """025 has no experiment blocks; its `## 九、Go/No-Go` table of outcomes is its only
    criterion, and `bridge plan` and the results said nothing of it."""
    done = bridge_here("plan", "--project", str(as_project("025", tmp_path)))
    assert done.returncode == 0, done.stderr
    assert (
        "计划写明的停止规则（bridge 不检查：请对照结果自行判断）\n"
        "  - 核心判据: RAG SFT 在 cf_arc_easy 上的 KC 表现 (与 TokenMem KC=69.0% 对比)\n"
        "  - RAG SFT cf_arc KC < 40% → ✅ 强论文 — 因果 claim 成立: 注入通道 (cross-attn) 是关键, "
        "非训练效果\n"
    ) in done.stdout


@needs_shared
def test_a_run_named_without_its_qualifier_and_a_versus_cell_are_placed(tmp_path: Path) -> None:
    """021 (trial T5): R011 "Hybrid PIS-IEK" reads as B4's "piecewise hybrid PIS-IEK" and was put
    in B5 because its milestone's Runs cell lists B5's channels: it is in neither, and the near
    match is named (it may be another system: "random search" is not "constrained random
    search"). R007-R009 run M3, "black-box vs delay-aware vs projected", B3's systems, and
    were in no block."""
    done = bridge_here("plan", "--project", str(as_project("021", tmp_path)))
    assert done.returncode == 0, done.stderr
    assert "  运行：    single-Jacobian PIS-IEK: R010\n" in done.stdout
    assert (
        "R011 (Hybrid PIS-IEK): 系统 'Hybrid PIS-IEK' 是实验块 B4 的 "
        "'piecewise hybrid PIS-IEK' 的结尾"
    ) in done.stdout
    assert "Black-box tuner: R007; Delay-aware tuner: R008; Delay-aware + projection: R009" in (
        done.stdout
    )


def test_a_missing_script_is_said_by_plan_as_run_would_block_on_it(tmp_path: Path) -> None:
    """
    Trial T3: `[run] command` names scripts/trian.py (the project has scripts/train.py);
    `bridge run` blocks at its implement stage, and `bridge plan`, run first, said nothing.
    It now says the same finding, at the bridge.toml line to fix, in the text and the JSON.
    """
    project = tmp_path / "quickstart"
    shutil.copytree(QUICKSTART, project, ignore=shutil.ignore_patterns(".bridge", "runs"))
    toml = project / "bridge.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("scripts/train.py --", "scripts/trian.py --"),
        encoding="utf-8",
    )
    line = next(
        at
        for at, text in enumerate(toml.read_text(encoding="utf-8").splitlines(), 1)
        if "scripts/trian.py" in text
    )
    said = (
        "R001, R002, R003, R004, R005, R006, R007, R008, R009, R010, R011, R012, R013, R014, "
        "R015, R016, R017, R018, R019, R020: the script scripts/trian.py does not exist in the "
        "project; did you mean 'scripts/train.py'?"
    )
    done = bridge_here("plan", "--project", str(project))
    assert done.returncode == 0, done.stderr
    assert f"\nwarning bridge.toml:{line}: {said}\n" in done.stdout
    shown = bridge_here("plan", "--json", "--project", str(project))
    assert shown.returncode == 0, shown.stderr
    assert {"file": "bridge.toml", "line": line, "message": said} in json.loads(shown.stdout)[
        "warnings"
    ]
    # The project as shipped has its script: no such warning.
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("scripts/trian.py", "scripts/train.py"),
        encoding="utf-8",
    )
    assert "does not exist" not in bridge_here("plan", "--project", str(project)).stdout


@needs_shared
def test_a_clause_against_a_baseline_the_block_lacks_is_previewed_so(tmp_path: Path) -> None:
    """011's B4 "accuracy higher for reranked by ≥5pp" was previewed as a comparison with the
    baseline and judged "the block has none" (trial T5); then read "the proposed system vs
    baseline … (add a `Baseline:` line …)", 'reranked' dropped unsaid, though B4's systems are
    its evaluators and its arms reranked and K=1 (trials h41O F1, h42B F5). It says 'reranked'
    is no system of the block."""
    done = bridge_here("plan", "--project", str(as_project("011", tmp_path)))
    assert done.returncode == 0, done.stderr
    assert (
        "1. not machine-checkable: says what does better by a name that is no system of the "
        "block ('reranked'): name the system as the block lists it, or list it among its "
        "compared systems"
    ) in " ".join(done.stdout.split())


def test_a_plan_without_blocks_and_a_runs_cell_listing_systems_is_read(tmp_path: Path) -> None:
    """A milestone table listing systems in a plan with no blocks: reading which block the cell
    lists raised IndexError (review)."""
    (tmp_path / "refine-logs").mkdir()
    (tmp_path / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(
        "# Plan\n\n## Run Order and Milestones\n\n"
        "| Milestone | Goal | Runs | Decision Gate | Cost | Risk |\n"
        "|---|---|---|---|---|---|\n"
        "| M1 | baselines | LoRA, full fine-tuning | ok | 1 | none |\n"
    )
    (tmp_path / "bridge.toml").write_text(
        '[run]\ncommand = "python3 -c pass"\n[[runs]]\nid = "R1"\nmilestone = "M1"\n'
    )
    done = bridge_here("plan", "--project", str(tmp_path))
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode in (0, 2), done.stderr


@needs_shared
def test_a_run_sharing_no_word_with_the_listed_block_stays_unplaced(tmp_path: Path) -> None:
    """005's M2 lists B3's A3 arms and a "d_mem trace" of B5: its R009 "Extract M_clean / M_only
    / M_full …" was put in B3 with no system (review); it is not B3's, but B5's, whose title
    "d_mem(t) persistence trace" names the quantity its Purpose and Metrics name (trial t12)."""
    done = bridge_here("plan", "--project", str(as_project("005", tmp_path)), "--json")
    assert done.returncode == 0, done.stderr
    import json

    runs = {r["id"]: r for r in json.loads(done.stdout)["runs"]}
    assert runs["R009"]["block"] == "B5"


@needs_shared
def test_a_clause_with_no_system_and_no_proposed_system_is_warned_before_anything_runs(
    tmp_path: Path,
) -> None:
    """005's B1 (plan:68) compares A0, RAW joint v5 and a wrapper and marks none as proposed:
    «top contributor <40%» was read as "the proposed system: …" with no word, and after the
    runs judged open, "the block's proposed system is not known" (trial B). `bridge plan` says
    so at the criterion's line, with the fix; marked `(ours)`, the warning is gone."""
    root = as_project("005", tmp_path)
    done = bridge_here("plan", "--project", str(root), "-o", "language=en")
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert (
        "4. the proposed system: top contributor < 40% — but the block's proposed system is "
        "not known, so the results cannot judge it (mark it `X (ours)` in the Compared systems, "
        "or add a `Proposed: X` line)"
    ) in out
    assert (
        # «median >0» names no metric (a statistic alone, trial h18F): unjudged for that, not
        # for want of a system.
        "warning refine-logs/EXPERIMENT_PLAN.md:68: B1's criterion: «mean lift ≥+0.05», "
        "«top contributor <40%» name no system and the block's proposed system "
        "is not known, so the results cannot judge it: mark the proposed system in the Compared "
        "systems (`X (ours)`), add a `Proposed: X` line, or name the system in the criterion"
    ) in out
    plan = root / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("  - RAW joint v5 (full", "  - RAW joint v5 (ours) (full", 1))
    marked = bridge_here("plan", "--project", str(root), "-o", "language=en")
    assert marked.returncode == 0, marked.stderr
    assert "proposed system is not known" not in marked.stdout
    assert "B1's criterion" not in marked.stdout


@needs_shared
def test_a_proposed_line_beside_the_compared_systems_names_the_proposed_system(
    tmp_path: Path,
) -> None:
    """005's B1 (plan:68) was advised "add a `Proposed: X` line"; the trial added `- Proposed:
    RAW joint v5 (…)` (and `- **Proposed**: …`) and nothing changed: the line counted only in a
    block with no Compared systems field. It now names the compared system it names, and a
    line naming none of them is said to be ignored, with what it names."""
    root = as_project("005", tmp_path)
    plan = root / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8")
    at = "- **Metrics**: \n  - Decisive: per-clip exported J-drop"
    assert at in text
    for line in (
        "- Proposed: RAW joint v5 (full Stage 14, the method)",
        "- **Proposed**: RAW joint v5",
    ):
        plan.write_text(text.replace(at, f"{line}\n{at}", 1), encoding="utf-8")
        done = bridge_here("plan", "--project", str(root), "-o", "language=en")
        assert done.returncode == 0, done.stderr
        assert "proposed system is not known" not in done.stdout, line
        assert "B1's criterion" not in done.stdout, line
    plan.write_text(text.replace(at, f"- Proposed: Joint search\n{at}", 1), encoding="utf-8")
    done = bridge_here("plan", "--project", str(root), "-o", "language=en")
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert "proposed system is not known" in out
    assert (
        "EXPERIMENT_PLAN.md:64: B1's Proposed line names none of its compared systems (A0 "
        "(K3_top" in out
    ), out


@needs_shared
def test_a_baseline_line_beside_the_compared_systems_names_the_baseline(tmp_path: Path) -> None:
    """004's B3 (plan:73), one clause per ablated system as its advice said: "the block has no
    baseline system … (add a `Baseline:` line, …)"; the trial added `- **Baseline**: LSVJ-S
    full` and the same words came back (trial h39B). It now names the baseline, and a line
    naming none of the compared systems is said to be ignored."""
    root = as_project("004", tmp_path)
    plan = root / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8").replace(
        "  - Each `no_class_A/B/C` yields overall TPR drop ≥ 3pp",
        "  - `no_class_A` yields overall TPR drop ≥ 3pp; `no_class_B` yields overall TPR "
        "drop ≥ 3pp",
        1,
    )
    at = "- **Setup**: config flag toggling"
    assert at in text
    for line, ignored in (("- **Baseline**: LSVJ-S full", False), ("- Baseline: full", True)):
        plan.write_text(text.replace(at, f"{line}\n{at}", 1), encoding="utf-8")
        done = bridge_here("plan", "--project", str(root), "-o", "language=en")
        assert done.returncode == 0, done.stderr
        b3 = done.stdout.split("B3: ")[1].split("\nB4: ")[0]
        assert "vs baseline: tpr gain (lower) ≥ 3 pp" in b3, b3
        assert ("no baseline system" in b3) is ignored, b3
        said = "EXPERIMENT_PLAN.md:83: B3's Baseline line names none of its compared systems"
        assert (said in " ".join(done.stdout.split())) is ignored, done.stdout


@needs_shared
def test_a_proposed_system_the_clause_compares_with_is_not_its_subject(tmp_path: Path) -> None:
    """039's B3 «GNN 同时优于 MART»: the method thesis names MART, the block's proposed system,
    and the clause compares with MART. The results never judge a system against itself, so the
    clause's subject is not known, but `bridge plan` read it as "the proposed system vs MART"
    with no word: it reads the subject as the results do. It said that the proposed system is
    MART, by the method thesis (h11G: it said "not known", while the clause beside it took MART
    as the proposed system); it now says what the clause's "GNN" could be: the systems whose
    names hold it, MART none of them, as the results do (no warning: said in its line, as a
    reference several systems could be is)."""
    done = bridge_here("plan", "--project", str(as_project("039", tmp_path)), "-o", "language=en")
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert (
        "1. not machine-checkable: the compared system «GNN» could be any of several systems of "
        "the block (threshold/GNN; typed-mass-cover/GNN; 最佳 GNN 的 source-shuffle): name the "
        "one meant, or write a clause for each"
    ) in out, out
    assert "«GNN 同时优于 MART» names no system" not in out, out
    assert "proposed system is not known" not in out


@needs_shared
def test_a_clause_comparing_blocked_runs_says_it_waits_for_them(tmp_path: Path) -> None:
    """027's B3: every run is `BLOCKED_BY_M2` in the tracker, and the preview read «A2 必须分别对
    A3 … 改善至少 10%» as "not machine-checkable: compares with something that is not a system
    of the block ('分别对 A3')": the blocked runs' systems were left out. The results read it
    with them and judge it once they run: the preview says the clause waits for those runs."""
    done = bridge_here("plan", "--project", str(as_project("027", tmp_path)), "-o", "language=en")
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert "is not a system of the block ('分别对 A3')" not in out
    assert (
        "1. A2 + mixed control vs A3 + mixed control: endpoint/fullpose pre-clamp FK p95 relative "
        "gain (better) ≥ 10% — but still waiting: its runs are blocked in the tracker: "
        "R-C2-s3407, R-C2-s3408, R-C2-s3409, R-C3-s3407, R-C3-s3408, R-C3-s3409"
    ) in out, out
    chinese = bridge_here("plan", "--project", str(tmp_path))
    assert "——但仍在等待：其运行在追踪表中受阻：R-C2-s3407" in chinese.stdout, chinese.stdout
    # R-C2 and R-C4 to run, R-C3 still blocked: clause 1 waits for R-C3's runs, clause 2 not.
    tracker = tmp_path / "refine-logs" / "EXPERIMENT_TRACKER.md"
    lines = tracker.read_text(encoding="utf-8").split("\n")
    for n, line in enumerate(lines):
        if line.startswith(("| R-C2 ", "| R-C4 ")):
            lines[n] = line.replace("| BLOCKED_BY_M2 |", "| TODO |")
    tracker.write_text("\n".join(lines), encoding="utf-8")
    done = bridge_here("plan", "--project", str(tmp_path), "-o", "language=en")
    out = " ".join(done.stdout.split())
    assert (
        "1. A2 + mixed control vs A3 + mixed control: endpoint/fullpose pre-clamp FK p95 relative "
        "gain (better) ≥ 10% — but still waiting: its runs are blocked in the tracker: "
        "R-C3-s3407, R-C3-s3408, R-C3-s3409 2. A2 + mixed control vs A4 + mixed control: "
        "endpoint/fullpose pre-clamp FK p95 relative gain (better) ≥ 10% 3."
    ) in out, out


@needs_shared
def test_a_chinese_plans_legend_note_is_english_under_language_en(tmp_path: Path) -> None:
    """026's rows `🔄 / ⏳`, which its legend says are Auto-Queued: under `-o language=en` the
    warning read "the tracker says 🔄 / ⏳（图例：Auto-Queued） (running)", bridge's note
    on the row's Status written in the plan's language when the plan was read."""
    root = as_project("026", tmp_path)
    done = bridge_here("plan", "--project", str(root), "-o", "language=en")
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert "the tracker says 🔄 / ⏳ (legend: Auto-Queued) (running)" in out, out
    assert "图例" not in out
    chinese = bridge_here("plan", "--project", str(root))
    assert "追踪表写着 🔄 / ⏳（图例：Auto-Queued）（进行中）" in chinese.stdout, chinese.stdout


@needs_shared
def test_the_runs_of_no_milestone_say_why(tmp_path: Path) -> None:
    """033's plan has no milestones and 038's thirty tracker rows are in none of its M0-M5:
    the milestone table showed "(no milestone)" with an empty name and no word why. (And
    038's B4 reads the system of B2 its criterion names.)"""
    done = bridge_here("plan", "--project", str(as_project("033", tmp_path / "a")))
    assert done.returncode == 0, done.stderr
    assert "│ (no milestone) │ the plan has none │" in done.stdout, done.stdout
    project = as_project("038", tmp_path / "b")
    # A run of "TriPharm HIP" in B4, which lists no systems: its «… speedup over TriPharm CPU
    # …» compared "the proposed system vs TriPharm HIP", the one system sharing the word
    # "TriPharm", i.e. the run with itself. "TriPharm CPU" is B2's system, written whole.
    (project / "bridge.toml").write_text(
        '[run]\ncommand = "python3 x.py"\n\n[[runs]]\nid = "HIP-HS90A"\n'
        'system = "TriPharm HIP"\nblock = "B4"\nmilestone = "M4"\n',
        encoding="utf-8",
    )
    # A lone Proposed line naming a system no run of the block runs (a typo) says so.
    plan = project / "refine-logs" / "EXPERIMENT_PLAN_20260802_TRIPHARM_THREE_GATES.md"
    said = "- **Claim tested**: C2.\n"
    # Without "on HS90A plus one LIT-PCBA target", which leaves the clause unjudged (h42G F6).
    plan.write_text(
        plan.read_text(encoding="utf-8")
        .replace(said, f"{said}- **Proposed**: TriPharm HPI\n")
        .replace(" on HS90A plus one LIT-PCBA target", ""),
        encoding="utf-8",
    )
    done = bridge_here("plan", "--project", str(project))
    assert done.returncode == 0, done.stderr
    assert "│ (no milestone) │ no row names one " in done.stdout, done.stdout
    assert "2. the proposed system vs TriPharm CPU: primary metric relative gain" in done.stdout
    assert "vs TriPharm HIP" not in done.stdout, done.stdout
    assert (
        "B4's Proposed line names TriPharm HPI, which none of its runs runs (TriPharm HIP), so "
        "it says nothing of which is proposed" in " ".join(done.stdout.split())
    ), done.stdout


_SANITY_IN_BLOCK = """# Experiment Plan

## Experiment Blocks

### Block 1: Main

- Metrics: accuracy
- Success criterion: accuracy ≥ 0.8
- Priority: MUST-RUN

## Run Order and Milestones

| Milestone | Goal | Runs | Decision Gate | Cost |
|---|---|---|---|---|
| M0 | Sanity | R001 | runs | CPU |
| M1 | Main | R002 | done | CPU |
"""

_SANITY_IN_BLOCK_TRACKER = """# Experiment Tracker

| Run ID | Milestone | Block | Purpose | System / Variant | Metrics | Priority | Status |
|---|---|---|---|---|---|---|---|
| R001 | M0 | B1 | smoke | tiny smoke model | accuracy | MUST | TODO |
| R002 | M1 | B1 | main | Method | accuracy | MUST | TODO |
"""


def test_a_sanity_run_is_no_system_the_warning_counts(tmp_path: Path) -> None:
    """A block listing no systems, with its sanity run (M0, `tiny smoke model`) and R002
    (`Method`): the results judge «accuracy ≥ 0.8» on R002 alone ("subject Method: the block's
    only system"), but `bridge plan` warned that the proposed system was not known, counting
    the sanity run's system too. It reads the block's runs as the results do."""
    write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", _SANITY_IN_BLOCK)
    write(tmp_path, "refine-logs/EXPERIMENT_TRACKER.md", _SANITY_IN_BLOCK_TRACKER)
    done = bridge_here("plan", "--project", str(tmp_path), "-o", "language=en")
    assert done.returncode == 0, done.stderr
    assert "runs:      tiny smoke model: R001 (sanity); Method: R002" in done.stdout
    assert "proposed system is not known" not in done.stdout
    assert "B1's criterion" not in done.stdout


@needs_shared
def test_a_ruled_out_row_is_no_system_the_warning_counts(tmp_path: Path) -> None:
    """027's B1 has R-L2 (STOPPED_BY_USER: out of scope, counting for nothing) and R-L3: the
    results judge «grad clipping hit rate低于 5%» on R-L3, the block's one system, but `bridge
    plan` warned that the proposed system was not known, counting R-L2's system too."""
    done = bridge_here("plan", "--project", str(as_project("027", tmp_path)), "-o", "language=en")
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert "B1's criterion" not in out
    assert "hit rate < 5% — but" not in out


@needs_shared
def test_a_sanity_clause_no_planned_run_stands_for_is_warned_first(tmp_path: Path) -> None:
    """006's sanity block B5 (plan:109) reads «composite skill > 0» on "S3 composite", which
    R002 computes under its tracker name `combine_net_load_runs.py`: `bridge plan` showed it as
    checkable, and `bridge run` passed the sanity milestone with it unjudged and deployed M2
    and M3 over R002's skill −0.05 (trial). It is warned first, with the alias; with the alias
    set, the warning is gone."""
    root = as_project("006", tmp_path)
    done = bridge_here("plan", "--project", str(root))
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert (
        "2. S3 composite: skill > 0 — but no planned run stands for S3 composite (see the "
        "warning below)"
    ) in out
    warning = (
        "warning refine-logs/EXPERIMENT_PLAN.md:109: B5, the sanity check of M0: its criterion "
        "«composite skill > 0» cannot be judged: no planned run stands for S3 composite, so the "
        "results will find no numbers for it, and the sanity milestone will pass on its runs "
        "alone, its criterion unjudged, and launch the later milestones; the block's runs that "
        "stand for none of its compared systems run 'wind/solar/load formulas', "
        "'combine_net_load_runs.py', 'make_thesis_figures.py on composite', 'Post-processing': "
        'if one of them is S3 composite, say so in bridge.toml: [systems."<that system>"] '
        'aliases = ["S3 composite"]'
    )
    assert warning in out
    # Before every other warning: what it leaves unchecked is the whole plan.
    warnings = [line for line in done.stdout.splitlines() if line.startswith("warning ")]
    assert warnings[0].startswith("warning refine-logs/EXPERIMENT_PLAN.md:109: B5, the sanity")
    (root / "bridge.toml").write_text(
        '[systems."combine_net_load_runs.py"]\naliases = ["S3 composite"]\n'
    )
    aliased = bridge_here("plan", "--project", str(root))
    assert aliased.returncode == 0, aliased.stderr
    assert "no planned run stands for" not in aliased.stdout


@needs_shared
def test_a_proposed_system_the_clause_compares_with_is_warned_in_chinese(tmp_path: Path) -> None:
    """039's B3 (plan:49) «GNN 同时优于 MART»: MART, the system the method thesis names, was
    taken for the proposed system, and the clause previewed as checkable ("提议的系统 对比
    MART") while the results judged "标准未指明系统，也无法确定该实验块的提议系统" (trial).
    Its "GNN" is part of several systems' names, MART none of them: said in Chinese."""
    done = bridge_here("plan", "--project", str(as_project("039", tmp_path)))
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert (
        "1. 无法自动检验：比较的系统 «GNN» 可能是该实验块多个系统中的任何一个（threshold/GNN; "
        "typed-mass-cover/GNN; 最佳 GNN 的 source-shuffle）：请写明所指的系统，或为每个系统各写一条"
    ) in out, out


@needs_shared
def test_039s_open_change_of_the_best_gnn_still_warns_r006_matches_no_system(
    tmp_path: Path,
) -> None:
    """039's B3 «source-shuffle 使性能下降» is open since h11G (which GNN is the best is not
    said): the warning that no planned run stands for its system, 最佳 GNN 的 source-shuffle
    (R006 runs "source-shuffle best GNN", a name of no compared system), went with the
    comparison it was read as before. The clause stays open; the warning is back."""
    done = bridge_here("plan", "--project", str(as_project("039", tmp_path)), "-o", "language=en")
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert (
        "3. not machine-checkable: compares with the best or with all of several systems"
    ) in out, out
    assert (
        "warning refine-logs/EXPERIMENT_PLAN.md:49: B3's criterion: «source-shuffle 使性能下降» "
        "cannot be judged: no planned run stands for 最佳 GNN 的 source-shuffle, so the results "
        "will find no numbers for it; the block's runs that stand for none of its compared "
        "systems run 'threshold/typed-mass × 0/2 steps', 'source-shuffle best GNN': if one of "
        'them is 最佳 GNN 的 source-shuffle, say so in bridge.toml: [systems."<that system>"] '
        'aliases = ["最佳 GNN 的 source-shuffle"]'
    ) in out, out


_VERSUS_CELL_PLAN = """\
# Plan

## Experiment Blocks

### B1: Main

- Compared systems: MART, GNN (ours)
- Metrics: AUROC
- Success criterion: GNN 的 AUROC 比 MART 高至少 0.02。

## Run Order and Milestones

| Milestone | Goal | Runs | Decision Gate | Cost | Risk |
|---|---|---|---|---|---|
| M1 | main | B1 | - | 1h | - |
"""

_VERSUS_CELL_TRACKER = """\
| Run ID | Milestone | Block | System / Variant | Metrics | Priority | Status |
|---|---|---|---|---|---|---|
| R001 | M1 | B1 | 评测 GNN 对 MART | AUROC | MUST | TODO |
"""


def test_a_run_comparing_systems_in_chinese_is_offered_the_labelled_numbers(
    tmp_path: Path,
) -> None:
    """One run evaluating both systems, its System cell "评测 GNN 对 MART" (对 between two
    names, the word the runs' placement splits such a cell at): the warning that no planned run
    stands for GNN or MART offers recording each system's numbers under its name, as it does
    for "A vs B". The view's own pattern for "vs" knew 对比 and 相比, not 对, so the advice was
    missing."""
    write(tmp_path, "refine-logs/EXPERIMENT_PLAN.md", _VERSUS_CELL_PLAN)
    write(tmp_path, "refine-logs/EXPERIMENT_TRACKER.md", _VERSUS_CELL_TRACKER)
    done = bridge_here("plan", "--project", str(tmp_path), "-o", "language=en")
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert "no planned run stands for GNN (ours), MART" in out
    assert "unless a run records each system's numbers under its name" in out


@needs_shared
def test_week_headings_no_run_is_in_are_said_not_shown_as_the_run_order(tmp_path: Path) -> None:
    """032's "### Week 1 … Week 10" are its schedule: no tracker run is in any. They were ten
    milestone rows of 0 runs and "?" GPU-h, and the estimate read "~0.00 GPU-h (without Week 1,
    …, Week 10)"; now the runs are of no milestone, and one warning says why."""
    done = bridge_here("plan", "--project", str(as_project("032", tmp_path)))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Week 1 " not in out.split("blocks")[0]  # no milestone row
    assert "\nestimated: ~0.00 GPU-h of 2500 budgeted\n" in out
    assert (
        "warning refine-logs/EXPERIMENT_PLAN.md:112: the 10 headings Week 1 … Week 10 (from "
        "line 112) are read as the plan's schedule, not its run order: no run and no block of "
        "the plan is in any of them, so they are not milestones and no milestone order holds "
        "back a run; to order the runs by milestone, give the tracker a Milestone column or "
        "write a run-order table\n" in out
    )


@needs_shared
def test_phase_headings_no_run_is_in_are_said_in_chinese(tmp_path: Path) -> None:
    """026 (Chinese): "Phase 0 … Phase 7" hold none of its 24 tracker runs. The estimate was
    "~40.00 GPU-h（不含 Phase 0, Phase 1, Phase 3, …）" from the cost under Phase 2; now the
    warning, in Chinese, says the headings are the schedule and that cost is not counted."""
    done = bridge_here("plan", "--project", str(as_project("026", tmp_path)))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Phase 0" not in out.split("\n估计")[0]
    assert "\n估计：~0.00 GPU-h，预算 400 GPU-h\n" in out
    assert (
        "警告 refine-logs/EXPERIMENT_PLAN.md:15: 8 个标题 Phase 0 … Phase 7（自第 15 行起）是"
        "计划的日程，不是运行顺序：计划中没有任何运行或实验块属于它们，因此不作为里程碑，也没有"
        "里程碑顺序会挡住运行；Phase 2 下写的成本（预估成本：~40 GPU-hours，第 75 行）不计入估计；"
        "要按里程碑排列运行，请在追踪表中加一列 Milestone，或写一张运行顺序表\n" in out
    )


@needs_shared
def test_an_alias_shares_a_run_only_into_the_system_it_names(tmp_path: Path) -> None:
    """004: `aliases = ["LSVJ-S full"]` on R202's system (B2's "verbatim-match ≤ 30%" needed a
    run of "LSVJ-S full") also shared R202 into B6 as "LSVJ-S full (b.4 enabled)" (plan:123),
    and the results met B6's «≤ 10% false-rejection» on R202's number (trial). The alias names
    B2's, B3's and B5's system, not B6's: B6's clause is still said to have no run."""
    root = as_project("004", tmp_path)
    (root / "bridge.toml").write_text(
        '[systems."L1+L2+L3-LSVJ-S+L4; N=5 perturbation, k=3 vote"]\naliases = ["LSVJ-S full"]\n'
    )
    done = bridge_here("plan", "--project", str(root))
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert "from other blocks: LSVJ-S full: R202 (B1)" in out
    assert "LSVJ-S full (b.4 enabled): R202" not in out
    assert (
        "warning refine-logs/EXPERIMENT_PLAN.md:126: B6's criterion: «≤ 10% false-rejection on "
        "benign control» cannot be judged: no planned run stands for LSVJ-S full (b.4 enabled)"
    ) in out


@needs_shared
def test_a_purpose_that_is_another_blocks_system_whole_shares_the_run(tmp_path: Path) -> None:
    """004 unmodified: R202 (B1's "LSVJ-S (ours)" by its System cell) has the Purpose "LSVJ-S
    full", the system B2's «verbatim-match ≤ 30%» is judged on, and B2 was warned to have no
    run of it (trial t8: judged only once an alias was added). The Purpose, that name whole,
    shares R202 into B2, B3 and B5, and B1's SEAP run R201 into B2 and B5; not into B6's
    "LSVJ-S full (b.4 enabled)", whose clause still has no run."""
    done = bridge_here("plan", "--project", str(as_project("004", tmp_path)))
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert (
        "runs: `no_synth_6seed` (Tier-2, appendix): R301; from other blocks: LSVJ-S full: R202 "
        "(B1); `SEAP` (main): R201 (B1)"
    ) in out
    assert "B2's criterion: «verbatim-match ≤ 30%» cannot be judged" not in out
    assert "LSVJ-S full (b.4 enabled): R202" not in out
    assert (
        "B6's criterion: «≤ 10% false-rejection on benign control» cannot be judged: no planned "
        "run stands for LSVJ-S full (b.4 enabled)"
    ) in out


@needs_shared
def test_a_bare_percent_of_a_primary_metric_that_is_no_rate_is_previewed_relative(
    tmp_path: Path,
) -> None:
    """027's B3 «A2 必须分别对 A3 和 A4 的 … FK p95 改善至少 10%», with `[metrics] primary =
    "fk_p95"` (no rate): the verdict reads the 10 % as a relative gain, and `bridge plan`
    previewed "≥ 10 pp". The clause is now read on the metric it names (not the primary one),
    a relative gain too."""
    project = as_project("027", tmp_path)
    # B3's runs wait for M2 in the tracker, and blocked runs are no systems to compare.
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    tracker.write_text(text.replace("| BLOCKED_BY_M2 |", "| TODO |"), encoding="utf-8")
    (project / "bridge.toml").write_text('[metrics]\nprimary = "fk_p95"\n', encoding="utf-8")
    done = bridge_here("plan", "--project", str(project), "-o", "language=en")
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert "endpoint/fullpose pre-clamp FK p95 relative gain (better) ≥ 10%" in out
    assert "primary metric gain (better) ≥ 10 pp" not in out


def _two_system_project(root: Path, base_status: str) -> Path:
    """A block comparing ours with base, each run by one row; base's row has ``base_status``."""
    (root / "refine-logs").mkdir(parents=True)
    (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_text(
        "# Plan\n\n## Experiment blocks\n\n### Block B1: Main\n- Systems: ours, base\n"
        "- Metrics: acc\n- Success criterion: ours beats base on acc by ≥ 1 pp\n"
        "\n## Milestones\n| Milestone | Blocks |\n|---|---|\n| M1 main | B1 |\n"
    )
    (root / "refine-logs" / "EXPERIMENT_TRACKER.md").write_text(
        "| Run ID | Milestone | Block | System | Status | Notes |\n|---|---|---|---|---|---|\n"
        f"| R1 | M1 | B1 | ours | TODO | |\n| R2 | M1 | B1 | base | {base_status} | |\n"
    )
    return root


def test_each_project_previewed_in_one_process_gets_its_own_answers(tmp_path: Path) -> None:
    """The preview works out the runs ruled out and each block's judged systems once per
    preview (a plan of hundreds of blocks asked them again for every clause): a second project
    read in the same process must get its own answers, not the last one's, and the first one
    read again its own."""
    from bridge.cli.plan_view import unplanned_systems
    from bridge.plan import load_project

    def warned(root: Path) -> str:
        first, rest = unplanned_systems(load_project(root), "en")
        return " ".join(w.message for w in (*first, *rest))

    ruled_out = _two_system_project(tmp_path / "a", "NOT RUN — no budget")
    planned = _two_system_project(tmp_path / "b", "TODO")
    assert "no planned run stands for base" in warned(ruled_out)
    assert "no planned run stands for" not in warned(planned)
    assert "no planned run stands for base" in warned(ruled_out)


@needs_shared
def test_the_subject_is_the_one_system_the_runs_will_have_results_under(tmp_path: Path) -> None:
    """008's B5 (plan:153) «zero unsupported core claims.» lists one compared system («claimed
    evidence strength versus actually available evidence») and one run, R010 of "Paper draft":
    the results judge it on R010 ("subject Paper draft: the block's only system", not met on a
    count of 2), but `bridge plan` warned that no planned run stands for the compared system and
    advised an alias. The preview takes the subject as the judge does, among the systems the
    block's runs will have results under."""
    done = bridge_here("plan", "--project", str(as_project("008", tmp_path)), "-o", "language=en")
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert "read as: the proposed system: unsupported core claims = 0 systems:" in out, out
    assert "no planned run stands for claimed evidence strength" not in out
    assert "B5's criterion" not in out


@needs_shared
def test_a_system_from_another_block_is_judged_on_that_blocks_runs(tmp_path: Path) -> None:
    """001's B2 lists "E3: DepthGate (from Block 1)" (plan:76): Block 1's "E3: DepthGate r=102
    + scalar gates (simplest depth conditioning)", run by R004. B2 showed only its own R005 and
    R006, with no DepthGate to compare them with and no word; now R004 is shared into B2 as the
    system B2 names, and B5's DepthGate runs (another label, a part taken away) are not."""
    from bridge.plan.attribution import stands_for

    done = bridge_here("plan", "--project", str(as_project("001", tmp_path)))
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert (
        "runs: E4: DepthFiLM r=102 + rank-space FiLM: R005; E5: DepthBasis K=6, r=16, "
        "adapter-output mixing: R006; from other blocks: E3: DepthGate (from Block 1): R004 (B1)"
    ) in out
    systems = ("E3: DepthGate (from Block 1)", "E4: DepthFiLM r=102 + rank-space FiLM")
    assert not stands_for("DepthGate (without Sobel): raw depth only", systems[0], systems)
    assert not stands_for("E4: DepthGate r=102 + scalar gates", systems[0], systems)


@needs_shared
def test_runs_of_the_plans_own_table_are_said_to_come_from_it(tmp_path: Path) -> None:
    """025 has no tracker file: its runs are the rows of the plan's own table, where `bridge
    plan` said `运行来源：tracker`. A plan with a tracker still says tracker (030)."""
    done = bridge_here("plan", "--project", str(as_project("025", tmp_path / "p025")))
    assert done.returncode == 0, done.stderr
    assert "；运行来源：计划中的运行表；" in done.stdout, done.stdout
    assert "tracker" not in done.stdout
    done = bridge_here("plan", "--project", str(as_project("030", tmp_path / "p030")))
    assert done.returncode == 0, done.stderr
    assert "; runs from tracker; " in done.stdout


@needs_shared
def test_alias_advice_pairs_a_run_with_the_variant_its_words_name(tmp_path: Path) -> None:
    """001's B3 compares "E_best(predicted depth)", "E6: E_best(shuffled depth)" and "E7:
    E_best(zero depth)". Rows naming only "shuffled input" and "zero input" stand for none of
    them (they share no word of the variants' common name), and `bridge plan` advised mapping
    the predicted-depth system onto them (trial t11): the advice pairs each row with the
    variant its words name, and says no row runs the predicted-depth one."""
    root = as_project("001", tmp_path)
    tracker = root / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    text = text.replace("| Best method + shuffled depth |", "| shuffled input |")
    tracker.write_text(text.replace("| Best method + zero depth |", "| zero input |"))
    done = bridge_here("plan", "--project", str(root), "-o", "language=en")
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    e6 = "E6: E_best(shuffled depth) — randomly permute depth maps across images"
    e7 = "E7: E_best(zero depth) — all-zero depth tensor"
    predicted = "E_best(predicted depth) — real depth from P1"
    assert (
        f"the block's run system 'shuffled input' has the words that tell {e6} apart: if it "
        f'runs {e6}, say so in bridge.toml: [systems."shuffled input"] aliases = ["{e6}"]'
    ) in out
    assert f'[systems."zero input"] aliases = ["{e7}"]' in out
    assert f"write {predicted} in its run's System / Variant cell" in out
    assert f"if one of them is {predicted}" not in out


def test_an_edit_of_the_tracker_bridge_writes_whole_is_said_to_stop_its_updates(
    tmp_path: Path,
) -> None:
    """040 (trial t14): no tracker of the researcher's, bridge wrote one ("edit the plan, not
    this file"); a note added to a row and a `## My notes` section, then `bridge retry --force`
    and `bridge run`: the tracker stayed at its old seq, with its runs' old Status, and nothing
    said so (`bridge verify` later: "differs from the log"). The note stays, and each `bridge run`
    says the file is no longer updated, why, and how to have it written again; deleted, it is."""
    for language, said in (
        ("en", "refine-logs/EXPERIMENT_TRACKER.md is no longer updated: bridge writes that file "),
        ("zh", "refine-logs/EXPERIMENT_TRACKER.md 不再更新：bridge 根据日志写出整个文件"),
    ):
        root = tmp_path / language
        write(
            root,
            "refine-logs/EXPERIMENT_PLAN.md",
            "# Plan\n\n### B1: Main\n- Compared systems: ours\n- Metrics: acc\n"
            "- Success criterion: acc ≥ 0.5\n",
        )
        write(
            root,
            "bridge.toml",
            f'[bridge]\nbackend = "local"\nauto_deploy = true\nlanguage = "{language}"\n[run]\n'
            'command = "python3 -c \'import json,sys; json.dump({\\"acc\\": 0.9}, '
            'open(sys.argv[1] + \\"/metrics.json\\", \\"w\\"))\' {output_dir}"\n',
        )
        assert bridge_here("run", "--project", str(root)).returncode == 3  # proposed: approve first
        assert bridge_here("approve", "--project", str(root)).returncode == 0
        assert bridge_here("run", "--project", str(root)).returncode == 0
        tracker = root / "refine-logs" / "EXPERIMENT_TRACKER.md"
        text = tracker.read_text(encoding="utf-8")
        assert "| DONE |" in text, text
        tracker.write_text(text + "\n## My notes\n- rerun with 8 heads\n", encoding="utf-8")
        assert bridge_here("retry", "--force", "R001", "--project", str(root)).returncode == 0
        ran = bridge_here("run", "--project", str(root))
        assert ran.returncode == 0, ran.stdout + ran.stderr
        assert said in ran.stdout, ran.stdout
        # A Status written there is not read either, and the line says so (trial h42C: 040's
        # `NOT RUN — no budget` on a run went unsaid, the run still counted).
        assert "`NOT RUN — …`" in ran.stdout, ran.stdout
        assert "- rerun with 8 heads" in tracker.read_text(encoding="utf-8")
        verified = bridge_here("verify", "--project", str(root))
        assert verified.returncode == 0, verified.stdout
        tracker.unlink()
        again = bridge_here("run", "--project", str(root))
        assert said not in again.stdout, again.stdout
        assert "Generated by bridge" in tracker.read_text(encoding="utf-8") or "由 bridge" in (
            tracker.read_text(encoding="utf-8")
        )


@needs_shared
def test_a_gap_of_a_metric_is_previewed_as_the_results_judge_it(tmp_path: Path) -> None:
    """h39D's block on 032 «… and UtilityNLL gap < 5%» was previewed "Ours (proposed):
    UtilityNLL gap < 5 pp", a difference of NLLs, where the results look for a recorded gap
    and leave the clause open without one. The preview says so now, as a percentage."""
    root = as_project("032", tmp_path)
    plan = root / "refine-logs" / "EXPERIMENT_PLAN.md"
    block = (
        "\n## Experiment Blocks\n\n### Block 3: Ours vs FedAvg\n"
        "- **Compared systems:** FedAvg, Ours (proposed)\n"
        "- **Success criterion:** Ours improves AggViol over FedAvg by at least 0.05, and "
        "UtilityNLL gap < 5%\n"
    )
    plan.write_text(plan.read_text(encoding="utf-8") + block, encoding="utf-8")
    done = bridge_here("plan", "--project", str(root), "-o", "language=en")
    assert done.returncode == 0, done.stderr
    out = " ".join(done.stdout.split())
    assert (
        "2. Ours (proposed): UtilityNLL gap < 5% — judged only on a recorded 'UtilityNLL gap', "
        "open without one ('gap' read with the metric, 'UtilityNLL gap': a gap is not "
        "'UtilityNLL' itself"
    ) in out, out


def test_a_lone_role_line_listing_systems_the_criterion_names_apart_lists_them(
    tmp_path: Path,
) -> None:
    """A block's one role line naming several systems the criterion names each on its own
    (`- Baseline: ERM, DANN` beside «DANN beats ERM …») lists them: read whole as one
    baseline (the rule for 027's comma-written system, below), the systems were dropped unsaid
    and the clause lost its subject (review r41)."""
    plan = tmp_path / "EXPERIMENT_PLAN.md"
    plan.write_text(
        "# Plan\n\n## Experiment Blocks\n\n### Block B1: domain shift\n"
        "- Baseline: ERM, DANN\n"
        "- Success criterion: DANN beats ERM on accuracy by 2 points\n",
        encoding="utf-8",
    )
    [b1] = load_plan(plan).blocks
    assert b1.systems == ("ERM", "DANN")


@needs_shared
def test_a_lone_baseline_line_names_the_baseline_among_the_runs_systems(tmp_path: Path) -> None:
    """027's B1 lists no systems; `bridge plan` advised «请加上 `Baseline:` 行». Written with
    R-L2's system as its row writes it («weighted-block MSE, GPU0-3, DDP4, accum2»), the line
    became four compared systems and clause 10 lost its subject («该实验块的提议系统未知»);
    written shorter, it was ignored without a word (h41B)."""
    project = as_project("027", tmp_path)
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    tracker = project / "refine-logs" / "EXPERIMENT_TRACKER.md"
    said = "- 两个分支都从 step 0 随机初始化"
    original = plan.read_text(encoding="utf-8")
    assert original.count(said) == 1
    # R-L2 is run, not stopped by the user, so B1 has its baseline's runs.
    rows = tracker.read_text(encoding="utf-8")
    assert rows.count("| STOPPED_BY_USER |") == 1
    tracker.write_text(rows.replace("| STOPPED_BY_USER |", "| TODO |"), encoding="utf-8")
    name = "weighted-block MSE, GPU0-3, DDP4, accum2"
    plan.write_text(original.replace(said, f"- Baseline: {name}\n{said}"), encoding="utf-8")
    b1 = next(b for b in load_plan(plan).blocks if b.id == "B1")
    assert (b1.baseline, b1.proposed, b1.systems) == (name, "", ())
    out = " ".join(bridge_here("plan", "--project", str(project)).stdout.split())
    assert "2. 提议的系统 对比 基线：D_k 相对增益（按指标方向更好）≥ -5% 3." in out, out
    assert "10. 提议的系统：clipping hit rate < 5% 系统：" in out, out  # not any hit rate (h42D)
    assert "Baseline 行" not in out
    plan.write_text(original.replace(said, f"- Baseline: weighted-block MSE\n{said}"), "utf-8")
    out = " ".join(bridge_here("plan", "--project", str(project)).stdout.split())
    assert "B1 的 Baseline 行写的是 weighted-block MSE，它的运行中没有一个运行这个系统（" in out, (
        out
    )


@needs_shared
def test_an_or_tail_left_out_of_a_criterion_is_said(tmp_path: Path) -> None:
    """001's B5 «Sobel helps by >= 0.5 points, or can be dropped if not» was previewed as its
    first part alone, «…, or can be dropped if not» named nowhere, though a researcher reads it
    as part of the criterion (trial h43F). It is said under the clauses, as a bonus is (006's
    B6); 023's «…，否则删去 forcing-conditioned 强调» in Chinese."""
    done = bridge_here("plan", "--project", str(as_project("001", tmp_path / "p001")))
    assert done.returncode == 0, done.stderr
    b5 = done.stdout.split("\nB5: ")[1].split("\n  systems:")[0]
    assert "not a clause: left out ', or can be dropped if not': what to do otherwise" in b5, b5
    done = bridge_here("plan", "--project", str(as_project("023", tmp_path / "p023")))
    assert done.returncode == 0, done.stderr
    assert "不是条件：略去 '，否则删去 forcing-conditioned 强调'：否则要做的事" in done.stdout
