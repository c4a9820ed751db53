"""The installed carenet package against the installed `carenet` command.

Run after `pip install target/wheels/carenet-*.whl`: python python/tests/test_package.py
Each check runs in a fresh temporary folder; the command is the wheel's script.
"""

import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd

import carenet

SMALL = """name = "small"
seed = 5
weeks = 12
burn_in_weeks = 8
[[neighbourhood]]
name = "A"
adults = 600
[[neighbourhood]]
name = "B"
adults = 400
centre_km = [1.2, 0.0]
cohesion = 0.8
"""

TABLES = ["summary", "timeseries", "flows", "neighbourhoods", "network_summary"]


def cli(folder, *args):
    command = shutil.which("carenet")
    assert command, "the wheel installs the carenet command"
    done = subprocess.run([command, *args], cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def same(python_table, csv_path, replicate):
    """A table of carenet.run equals the command's CSV file, value for value."""
    rows = python_table[python_table["replicate"] == replicate].drop(columns="replicate")
    expected = pd.read_csv(csv_path)
    if "replicate" in expected.columns:
        expected = expected.drop(columns="replicate")
    pd.testing.assert_frame_equal(rows.reset_index(drop=True), expected, check_exact=True,
                                  check_dtype=False)


def test_a_run_equals_the_commands_for_the_same_seed(folder):
    (folder / "small.toml").write_text(SMALL)
    cli(folder, "run", "small.toml", "--seed", "11", "--out", "one", "--quiet")
    out = carenet.run(folder / "small.toml", seed=11)
    for table in TABLES:
        same(getattr(out, table), folder / "one" / f"{table}.csv", 1)
    assert out.summary["seed"].tolist() == [11]


def test_replicates_equal_the_commands_replicates(folder):
    (folder / "small.toml").write_text(SMALL)
    cli(folder, "run", "small.toml", "--replicates", "3", "--out", "three", "--quiet")
    out = carenet.run(str(folder / "small.toml"), replicates=3)
    for r in (1, 2, 3):
        for table in TABLES:
            same(getattr(out, table), folder / "three" / f"replicate-{r:03}" / f"{table}.csv", r)
        assert out.summary.loc[r - 1, "seed"] == carenet.replicate_seed(5, r)
    pd.testing.assert_frame_equal(out.summary, pd.read_csv(folder / "three" / "summary.csv"),
                                  check_exact=True, check_dtype=False)


def test_microdata_equals_the_commands_residents_csv(folder):
    (folder / "small.toml").write_text(SMALL)
    cli(folder, "run", "small.toml", "--microdata", "--out", "one", "--quiet")
    out = carenet.run(folder / "small.toml", microdata=True)
    assert carenet.run(folder / "small.toml").residents is None, "only when asked for"
    same(out.residents, folder / "one" / "residents.csv", 1)
    cli(folder, "run", "small.toml", "--microdata", "--replicates", "2", "--out", "two", "--quiet")
    both = carenet.run(folder / "small.toml", microdata=True, replicates=2)
    expected = pd.read_csv(folder / "two" / "residents.csv")
    pd.testing.assert_frame_equal(both.residents, expected, check_exact=True, check_dtype=False)
    assert both.residents["replicate"].tolist() == [1] * 1000 + [2] * 1000
    per_resident = both.residents.groupby("replicate")["unmet_hours"].sum().round(2)
    assert per_resident.tolist() == both.summary["unmet_hours"].round(2).tolist()


def test_microdata_of_years_equals_the_commands_residents_yearly_csv(folder):
    (folder / "small.toml").write_text(SMALL)
    years = {"weeks": 110}
    assert carenet.run(folder / "small.toml", microdata=True).residents_yearly is None, \
        "only in a run of several years"
    cli(folder, "run", "small.toml", "--set", "weeks=110", "--microdata", "--replicates", "2",
        "--out", "years", "--quiet")
    both = carenet.run(folder / "small.toml", set=years, microdata=True, replicates=2)
    expected = pd.read_csv(folder / "years" / "residents_yearly.csv")
    pd.testing.assert_frame_equal(both.residents_yearly, expected, check_exact=True,
                                  check_dtype=False)
    assert sorted(both.residents_yearly["year"].unique()) == [1, 2, 3]
    per_year = both.residents_yearly.groupby(["replicate", "year"])["need_hours"].sum().round(2)
    assert per_year.tolist() == both.yearly["need_hours"].round(2).tolist()


def test_set_equals_the_same_value_written_in_the_file(folder):
    (folder / "small.toml").write_text(SMALL)
    edited = SMALL + "[formal]\nhours_per_1000_residents = 5\n"
    (folder / "edited.toml").write_text(edited)
    cli(folder, "run", "edited.toml", "--out", "edited", "--quiet")
    out = carenet.run(folder / "small.toml", set={"formal.hours_per_1000_residents": 5})
    assert out.summary.loc[0, "scenario"] == "small"
    for table in TABLES:
        same(getattr(out, table), folder / "edited" / f"{table}.csv", 1)
    plain = carenet.run(folder / "small.toml")
    assert plain.summary.loc[0, "formal_hours"] != out.summary.loc[0, "formal_hours"]


def test_mistakes_raise_scenario_error_with_the_problems(folder):
    (folder / "bad.toml").write_text('name = "bad"\nweeks = 10\ncohesionn = 0.5\n')
    try:
        carenet.check(folder / "bad.toml")
        raise AssertionError("check accepted an unknown key")
    except carenet.ScenarioError as error:
        assert "cohesionn" in str(error) and "fix" in str(error), str(error)
        assert any("cohesionn" in problem[1] for problem in error.problems), error.problems
    for bad in ({"neighbourhood[0].cohesion": 1.5}, {"formal.hours": 3}):
        try:
            carenet.run("baseline", set=bad)
            raise AssertionError(f"run accepted {bad}")
        except carenet.ScenarioError as error:
            assert next(iter(bad)).split(".")[-1] in str(error), str(error)
    assert carenet.check("linders-drents-dorp").startswith("ok: built-in")


def test_an_experiment_file_is_checked_as_sweep_checks_it(folder):
    # QA 26: check() read an experiment file as a scenario ("unknown field
    # `scenario`", "unknown field `replicates`"), where `carenet check` knows it.
    (folder / "small.toml").write_text(SMALL)
    (folder / "exp.toml").write_text(
        'name = "exp"\nscenario = "small.toml"\nreplicates = 2\ndesign = "grid"\n'
        '[[parameter]]\npath = "neighbourhood[*].cohesion"\nvalues = [0.2, 0.8]\n'
    )
    said = carenet.check(folder / "exp.toml")
    assert 'experiment "exp"' in said and "2 points × 2 replicates = 4 runs" in said, said
    (folder / "bad.toml").write_text(
        'name = "bad"\nscenario = "small.toml"\nreplicates = 2\ndesign = "grid"\n'
        '[[parameter]]\npath = "neighbourhood[*].cohesoin"\nvalues = [0.2, 1.4]\n'
    )
    try:
        carenet.check(folder / "bad.toml")
        raise AssertionError("check accepted a misspelt path")
    except carenet.ScenarioError as error:
        assert "unknown field" not in str(error), str(error)
        assert "cohesoin" in str(error) and "did you mean `cohesion`" in str(error), str(error)
        assert error.problems and error.problems[0][0] == "parameter[0].path", error.problems
    # QA 36: run() read it as a scenario and told the user to remove `scenario`,
    # `design`, `replicates` and `parameter`; now one problem names the command.
    try:
        carenet.run(folder / "exp.toml")
        raise AssertionError("run accepted an experiment file")
    except carenet.ScenarioError as error:
        assert "unknown field" not in str(error), str(error)
        assert len(error.problems) == 1, error.problems
        assert "this is an experiment file, not a scenario" in error.problems[0][1], str(error)
        assert "carenet sweep" in error.problems[0][2], str(error)


def test_every_set_mistake_is_a_problem_with_its_key_path(folder):
    bad = {"formal.hours": 3, "neighbourhood[0].cohesion": 1.5, "weeks": 4}
    try:
        carenet.run("baseline", set=bad)
        raise AssertionError(f"run accepted {bad}")
    except carenet.ScenarioError as error:
        paths = [problem[0] for problem in error.problems]
        assert paths == ["formal.hours", "neighbourhood[0].cohesion"], error.problems
        assert all(problem[2] for problem in error.problems), error.problems
        assert "2 problems" in str(error), str(error)


def test_a_value_of_the_wrong_kind_gets_the_commands_fix(folder):
    # QA 30: a str where a number belongs got only "give ... a value of the kind
    # it takes"; the command line named the value to give. Both now have the
    # library's fix, which the package passes through as the command shows it.
    hours = "formal.hours_per_1000_residents"
    for value, fix in (
        ("300", f"give `{hours}` the number 300, not text: without quotes"),
        ("0,7", f"give `{hours}` the number 0.7, not text: without quotes and with a "
                "decimal point"),
        ("lots", f"give `{hours}` a value of the kind it takes; the scenario has 200.0"),
    ):
        try:
            carenet.run("baseline", set={hours: value})
            raise AssertionError(f"run accepted {value!r}")
        except carenet.ScenarioError as error:
            assert error.problems == [(hours, f"`{hours}` takes a number, not text", fix)], \
                error.problems
            assert f"{hours}: `{hours}` takes a number, not text" in str(error), str(error)
            assert f"fix: {fix}" in str(error), str(error)
    # The command's own fix for the same value, word for word.
    command = shutil.which("carenet")
    done = subprocess.run([command, "run", "baseline", "--set", f"{hours}=lots", "--out", "o"],
                          cwd=folder, capture_output=True, text=True)
    assert done.returncode == 3, done.stderr
    assert f"fix: give `{hours}` a value of the kind it takes; the scenario has 200.0" \
        in done.stderr, done.stderr


def test_built_in_scenarios_by_name_in_an_empty_folder(folder):
    names = carenet.scenarios()
    assert names[0] == "baseline" and "linders-drents-dorp" in names
    listed = cli(folder, "list")
    assert all(name in listed for name in names), listed
    cli(folder, "scenarios", "export", "scenarios")
    for name in names:
        assert (folder / "scenarios" / f"{name}.toml").read_text() == carenet.scenario_text(name)
    small = {"neighbourhood[*].adults": 150, "weeks": 4, "burn_in_weeks": 2}
    by_name = carenet.run("pv1-0-none", set=small, seed=3)
    by_file = carenet.run(folder / "scenarios" / "pv1-0-none.toml", set=small, seed=3)
    pd.testing.assert_frame_equal(by_name.summary, by_file.summary)
    assert "serve" in cli(folder, "--help")


def test_python_threads_run_alongside_a_run(folder):
    # The run releases the GIL: a second Python thread's run and this thread's
    # work interleave, and both threads' results are those of a lone run.
    small = {"neighbourhood[*].adults": 200, "weeks": 6, "burn_in_weeks": 4}
    alone = carenet.run("baseline", set=small, seed=9).summary
    results = {}
    worker = threading.Thread(target=lambda: results.update(
        out=carenet.run("baseline", set=small, seed=9).summary))
    worker.start()
    here = carenet.run("baseline", set=small, seed=9).summary
    worker.join()
    pd.testing.assert_frame_equal(results["out"], alone)
    pd.testing.assert_frame_equal(here, alone)


def test_ctrl_c_stops_a_run_promptly_and_the_next_run_is_whole(folder):
    # A run of 100 years (25 s uninterrupted on a 2-core machine), interrupted
    # as Ctrl-C would be once it is simulating: KeyboardInterrupt must come
    # at the next week, not at the end. The bound is generous for a slow,
    # shared machine; the poll is every 0.1 s and a week takes milliseconds.
    long = {"neighbourhood[*].adults": 1500, "weeks": 5200, "burn_in_weeks": 0}
    sent = []

    def interrupt():
        sent.append(time.monotonic())
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(1.5, interrupt)
    timer.start()
    try:
        carenet.run("baseline", set=long, replicates=2)
    except KeyboardInterrupt:
        waited = time.monotonic() - sent[0]
    else:
        raise AssertionError("the run ended before Ctrl-C; it must run longer")
    finally:
        timer.cancel()
    assert waited < 5.0, f"KeyboardInterrupt came {waited:.2f} s after Ctrl-C"
    print(f"   (KeyboardInterrupt {waited * 1000:.0f} ms after SIGINT)", flush=True)
    small = {"neighbourhood[*].adults": 150, "weeks": 6, "burn_in_weeks": 2}
    after = carenet.run("baseline", set=small, seed=3, replicates=2)
    cli(folder, "run", "--seed", "3", "--replicates", "2", "--out", "two", "-q",
        *(arg for key, value in small.items() for arg in ("--set", f"{key}={value}")))
    pd.testing.assert_frame_equal(after.summary, pd.read_csv(folder / "two" / "summary.csv"),
                                  check_exact=True, check_dtype=False)


def _peak_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _refused_quickly(**kwargs):
    peak = _peak_bytes()
    try:
        carenet.run("baseline", **kwargs)
    except carenet.ScenarioError as error:
        # A build of millions of adults takes gigabytes: the peak shows whether
        # the run was refused before building (a wall-clock bound would test
        # the machine, not the order of the checks).
        assert _peak_bytes() - peak < 500e6, "refused before building"
        return str(error), error.problems
    raise AssertionError(f"run({kwargs}) must be refused")


def test_a_run_too_large_for_its_memory_ceiling_is_refused_before_building(folder):
    huge = {"neighbourhood[*].adults": 3_000_000}  # 15 million adults, about 13 GB
    message, problems = _refused_quickly(set=huge, max_memory="1G")
    assert message.startswith("baseline: this run needs about "), message
    assert "15,000,000 adults" in message and "more than the max_memory= (1.00 GB)" in message
    assert "max_memory= sets the ceiling" in message, message
    # Filed under what it is about, the memory, not a key path without fault
    # (QA 37: it was "neighbourhood"); the problem does not repeat the name.
    assert [path for path, _, _ in problems] == ["memory"], problems
    assert problems[0][1].startswith("this run needs about "), problems
    assert "free memory" in problems[0][2], problems
    estimate = float(message.split("needs about ")[1].split(" GB")[0])
    assert 5 < estimate < 30, message
    # The same check as the command's, with the same figures.
    (folder / "huge.toml").write_text(carenet.resolved_scenario(set=huge))
    command = subprocess.run([shutil.which("carenet"), "run", "huge.toml", "--max-memory", "1G"],
                             cwd=folder, capture_output=True, text=True)
    assert command.returncode != 0 and f"needs about {estimate:.2f} GB" in command.stderr
    # Without max_memory, the ceiling is the memory available: a run beyond
    # it (where the validation's area limits allow one that large) is refused.
    available = carenet_available_bytes()
    if available is not None and available < 0.8 * estimate * 1e9:
        message, _ = _refused_quickly(set=huge)
        assert "more than the memory this machine has available" in message, message
    with_ceiling = carenet.run(set={"neighbourhood[*].adults": 100, "weeks": 2,
                                    "burn_in_weeks": 0}, max_memory=10**9)
    assert len(with_ceiling.summary) == 1
    for bad in ("lots", True, 1.5):
        try:
            carenet.run(set={"weeks": 2}, max_memory=bad)
        except (TypeError, ValueError) as error:
            assert "max_memory" in str(error), error
        else:
            raise AssertionError(f"max_memory={bad!r} must be refused")


def carenet_available_bytes():
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def main():
    tests = [(name, f) for name, f in sorted(globals().items()) if name.startswith("test_")]
    for name, test in tests:
        with tempfile.TemporaryDirectory() as folder:
            test(Path(folder))
        print(f"ok: {name}", flush=True)
    print(f"{len(tests)} Python package tests passed")


def test_a_scenario_error_survives_pickling_as_carenet_scenario_error(folder):
    import pickle

    try:
        carenet.run(set={"neighbourhood[*].cohesion": 1.5})
    except carenet.ScenarioError as error:
        assert type(error).__module__ == "carenet"
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is carenet.ScenarioError
        assert str(back) == str(error)
        assert "1.5" in str(back)
        # QA 36: one problem of the key path as set, not one per neighbourhood.
        assert [p[0] for p in error.problems] == ["neighbourhood[*].cohesion"], error.problems
    else:
        raise AssertionError("an out-of-range cohesion must be refused")


def test_a_table_without_rows_keeps_its_columns(folder):
    tiny = {"weeks": 1, "burn_in_weeks": 0, "neighbourhood[*].adults": 1}
    results = carenet.run(set=tiny)
    assert len(results.flows) == 0
    assert list(results.flows.columns[:3]) == ["replicate", "week", "direction"]
    assert len(results.flows.query("tie_kind == 'neighbour'")) == 0


def test_seed_and_replicates_must_be_whole_numbers_and_say_so(folder):
    for bad, kind in [(dict(seed=-1), ValueError), (dict(seed=7.0), TypeError),
                      (dict(replicates=-1), ValueError), (dict(replicates=2.7), TypeError),
                      (dict(replicates=True), TypeError)]:
        try:
            carenet.run(**bad)
        except kind as error:
            name = next(iter(bad))
            assert str(error).startswith(name), (bad, error)
        else:
            raise AssertionError(f"{bad} must be refused")



def test_the_package_is_typed_and_its_stubs_name_every_function_of_the_extension(folder):
    import ast

    from carenet import _carenet

    here = Path(carenet.__file__).parent
    assert (here / "py.typed").exists(), "the wheel must carry py.typed"
    stubs = ast.parse((here / "_carenet.pyi").read_text())
    declared = {node.name for node in stubs.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    declared |= {node.target.id for node in stubs.body if isinstance(node, ast.AnnAssign)}
    public = {name for name in dir(_carenet) if not name.startswith("_")} | {"__version__"}
    assert declared == public, (declared ^ public)


def test_numpy_values_are_taken_and_a_bad_value_names_its_key(folder):
    import numpy as np

    small = {"neighbourhood[*].adults": 150, "weeks": 2, "burn_in_weeks": 0}
    mix = {"neighbourhood[0].age_mix": np.array([0.25, 0.35, 0.25, 0.15])}
    out = carenet.run("baseline", set={**small, **mix})
    assert "age_mix = [0.25, 0.35, 0.25, 0.15]" in out.scenario_toml
    for bad in ({"weeks": None}, {"weeks": object()}):
        try:
            carenet.run("baseline", set=bad)
        except TypeError as error:
            assert "'weeks'" in str(error) or '"weeks"' in str(error), str(error)
        else:
            raise AssertionError(f"{bad} must be refused")
    # Results compare as objects (a DataFrame has no single truth value).
    assert (out == out) and not (out == carenet.run("baseline", set={**small, **mix}))


def test_a_projection_has_its_yearly_table_as_the_commands(folder):
    small = {"neighbourhood[*].adults": 150, "weeks": 104, "burn_in_weeks": 0}
    out = carenet.run("baseline", set=small, seed=4, replicates=2)
    cli(folder, "run", "--seed", "4", "--replicates", "2", "--out", "two", "-q",
        *(arg for key, value in small.items() for arg in ("--set", f"{key}={value}")))
    for r in (1, 2):
        same(out.yearly, folder / "two" / f"replicate-{r:03}" / "yearly.csv", r)
        same(out.network_summary, folder / "two" / f"replicate-{r:03}" / "network_summary.csv", r)
    assert carenet.run("baseline", set={**small, "weeks": 52}).yearly is None


def test_results_show_what_they_hold_in_one_line(folder):
    results = carenet.run(set={"weeks": 2, "burn_in_weeks": 0}, replicates=2)
    shown = repr(results)
    assert shown.startswith("<carenet Results of 'baseline', 2 replicate(s): summary 2x"), shown
    assert "\n" not in shown and len(shown) < 300, shown
    assert f"flows {len(results.flows)}x" in shown, shown


if __name__ == "__main__":
    sys.exit(main())
