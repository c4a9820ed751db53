//! `carenet serve` over real HTTP: the binary on a free port, requests written by
//! hand (so that malformed ones can be sent), and the run folders it writes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A server process, stopped with SIGINT (as Ctrl-C does) when dropped.
struct Served {
    child: Child,
    port: u16,
    results: PathBuf,
    _dir: tempfile::TempDir,
}

impl Served {
    fn start() -> Served {
        Served::start_in(tempfile::tempdir().unwrap())
    }

    /// A server writing to `dir/results`.
    fn start_in(dir: tempfile::TempDir) -> Served {
        let results = dir.path().join("results");
        let mut child = Command::new(env!("CARGO_BIN_EXE_carenet"))
            .args(["serve", "--port", "0", "--results"])
            .arg(&results)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("carenet serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Served {
            child,
            port,
            results,
            _dir: dir,
        }
    }

    /// Sends `raw` (a whole HTTP request) and returns the status and body.
    fn raw(&self, raw: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        stream.write_all(raw.as_bytes()).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let split = response
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no header end in {response:?}"));
        let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status in {head:?}"));
        let body = &response[split + 4..];
        let body = if head.contains("transfer-encoding: chunked") {
            unchunk(body)
        } else {
            body.to_vec()
        };
        (status, String::from_utf8(body).expect("UTF-8 body"))
    }

    fn get(&self, path: &str) -> (u16, String) {
        self.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        ))
    }

    fn post(&self, path: &str, content_type: &str, body: &str) -> (u16, String) {
        self.raw(&format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: {content_type}\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        ))
    }

    fn json(&self, path: &str) -> Value {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str(&body).unwrap()
    }

    /// Stops the server as Ctrl-C does and returns what it printed.
    fn interrupt(mut self) -> String {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let exit = self.child.wait().unwrap();
        assert!(exit.success(), "carenet serve exited with {exit}");
        let mut out = String::new();
        self.child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        out
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A chunked body in one piece (the server sends Content-Length; a chunked
/// answer would still be read whole).
fn unchunk(mut rest: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    while let Some(line_end) = rest.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&rest[..line_end]).unwrap().trim();
        let size = usize::from_str_radix(size, 16).unwrap();
        if size == 0 {
            break;
        }
        let chunk = &rest[line_end + 2..];
        body.extend_from_slice(&chunk[..size]);
        rest = &chunk[size + 2..];
    }
    body
}

/// The error body of a refused request: its message, after checking it has a fix.
fn error_of(response: (u16, String), status: u16) -> String {
    assert_eq!(response.0, status, "{}", response.1);
    let body: Value = serde_json::from_str(&response.1)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", response.1));
    assert!(
        body["fix"].as_str().is_some_and(|f| !f.is_empty()),
        "{body}"
    );
    body["error"].as_str().unwrap().to_string()
}

/// Polls a run until it is done (or fails the test after a minute).
fn finished(served: &Served, id: u64) -> Value {
    let started = Instant::now();
    loop {
        let run = served.json(&format!("/api/runs/{id}"));
        match run["status"]["state"].as_str() {
            Some("done") => return run,
            Some("failed") => panic!("run failed: {run}"),
            _ => {}
        }
        assert!(started.elapsed() < Duration::from_secs(60), "{run}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn csv_rows(path: &Path) -> Vec<csv::StringRecord> {
    csv::Reader::from_path(path)
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect()
}

fn csv_column(path: &Path, column: &str) -> usize {
    csv::Reader::from_path(path)
        .unwrap()
        .headers()
        .unwrap()
        .iter()
        .position(|c| c == column)
        .unwrap()
}

#[test]
fn malformed_requests_get_a_clear_400_and_unknown_routes_404() {
    let served = Served::start();
    let run = |body: &str| served.post("/api/runs", "application/json", body);

    let message = error_of(run("{\"scenario\": \"baseline\""), 400);
    assert!(message.contains("not valid"), "{message}");
    let message = error_of(run("{\"scenario\": \"baseline\", \"cohesoin\": 0.5}"), 400);
    assert!(message.contains("unknown field `cohesoin`"), "{message}");
    let message = error_of(run("{\"scenario\": \"baseline\", \"cohesion\": 1.5}"), 400);
    assert!(message.contains("between 0 and 1"), "{message}");
    let message = error_of(
        run("{\"scenario\": \"baseline\", \"cohesion\": \"high\"}"),
        400,
    );
    assert!(message.contains("invalid type"), "{message}");
    let message = error_of(
        run("{\"scenario\": \"baseline\", \"help_radius\": \"street\"}"),
        400,
    );
    assert!(message.contains("unknown variant"), "{message}");
    let message = error_of(run("{\"scenario\": \"atlantis\"}"), 400);
    assert!(message.contains("no built-in scenario"), "{message}");
    let message = error_of(run("[]"), 400);
    assert!(message.contains("not valid"), "{message}");
    error_of(
        served.post("/api/runs", "text/plain", "{\"scenario\": \"baseline\"}"),
        415,
    );
    let huge = format!("{{\"scenario\": \"{}\"}}", "x".repeat(20_000));
    error_of(run(&huge), 413);

    error_of(served.get("/api/runs/abc"), 400);
    error_of(served.get("/api/runs/99"), 404);
    error_of(served.get("/api/scenarios?all=1"), 400);
    error_of(served.get("/nowhere"), 404);
    error_of(served.get("/api/runs/1/weeks/extra"), 404);
    let (status, body) = served.raw(&format!(
        "DELETE /api/scenarios HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
        served.port
    ));
    error_of((status, body), 405);
    error_of(served.get("/api/runs"), 405);
    // Another site's name resolving to 127.0.0.1 (DNS rebinding) is refused.
    let (status, _) = served
        .raw("GET /api/scenarios HTTP/1.1\r\nHost: evil.example:80\r\nConnection: close\r\n\r\n");
    assert_eq!(status, 403);
    // Not HTTP at all.
    let (status, _) = served.raw("HELLO\r\n\r\n");
    assert_eq!(status, 400);

    // Nothing was started by any of these.
    assert_eq!(
        std::fs::read_dir(served.results.join("serve"))
            .unwrap()
            .count(),
        0
    );
}

/// A browser keeps connections open and idle, and opens some it never uses;
/// none of them may hold up another request. (A pooled keep-alive server let a
/// new connection wait behind idle ones: the page's first load hung in CI.)
#[test]
fn idle_and_half_sent_connections_do_not_hold_up_the_page() {
    let served = Served::start();
    let mut idle = Vec::new();
    for i in 0..24 {
        let mut stream = TcpStream::connect(("127.0.0.1", served.port)).unwrap();
        if i % 2 == 0 {
            stream.write_all(b"GET / HTT").unwrap();
        }
        idle.push(stream);
    }
    let (status, page) = served.get("/");
    assert_eq!(status, 200);
    assert!(page.contains("<html"), "{page}");
    let (status, _) = served.get("/api/scenarios");
    assert_eq!(status, 200);

    // A keep-alive request is answered whole and the connection closed after
    // it, so the browser opens a new one for the next request.
    let (status, body) = served.raw(&format!(
        "GET /api/scenarios HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: keep-alive\r\n\r\n",
        served.port
    ));
    assert_eq!(status, 200);
    assert!(body.starts_with('[') || body.starts_with('{'), "{body}");
    drop(idle);
}

/// HEAD gets the head only; a chunked body (no Content-Length) gets 411.
#[test]
fn head_requests_and_chunked_bodies_are_answered_clearly() {
    let served = Served::start();
    let (status, body) = served.raw(&format!(
        "HEAD / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        served.port
    ));
    assert_eq!((status, body.as_str()), (200, ""));
    let (status, body) = served.raw(&format!(
        "POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\n\r\n5\r\n{{\"a\":\r\n0\r\n\r\n",
        served.port
    ));
    assert_eq!(status, 411, "{body}");
    assert!(body.contains("Content-Length"), "{body}");
}

#[test]
fn no_request_reads_a_file_outside_the_built_in_assets() {
    let served = Served::start();
    let secret = "carenet test secret 7d1f";
    std::fs::write(served.results.join("secret.txt"), secret).unwrap();
    for path in [
        "/assets/../Cargo.toml",
        "/assets/..%2f..%2fCargo.toml",
        "/assets/%2e%2e/%2e%2e/Cargo.toml",
        "/assets/..\\..\\Cargo.toml",
        "/../../../etc/passwd",
        "//etc/passwd",
        "/assets//etc/passwd",
        "/assets/app.js/../../secret.txt",
        "/secret.txt",
        "/results/secret.txt",
        "/serve/../secret.txt",
        "/api/runs/1/../../../secret.txt",
    ] {
        let (status, body) = served.get(path);
        assert!(status == 404 || status == 400, "{path}: {status}");
        assert!(!body.contains("[package]"), "{path} read Cargo.toml");
        assert!(!body.contains("root:"), "{path} read /etc/passwd");
        assert!(!body.contains(secret), "{path} read the results folder");
    }
    let (status, page) = served.get("/");
    assert_eq!(status, 200);
    assert!(page.contains("<script src=\"assets/app.js\" defer></script>"));
    let (status, script) = served.get("/assets/app.js");
    assert_eq!(status, 200);
    assert!(script.contains("backend.start"));
    // The server's page gets the backend that asks the server.
    let (status, backend) = served.get("/assets/backend.js");
    assert_eq!(status, 200);
    assert!(backend.contains("api/runs"));

    // A scenario name is looked up in the built-in list, never opened as a path.
    let message = error_of(
        served.post(
            "/api/runs",
            "application/json",
            "{\"scenario\": \"../secret\"}",
        ),
        400,
    );
    assert!(message.contains("no built-in scenario"), "{message}");
    let message = error_of(
        served.post(
            "/api/runs",
            "application/json",
            "{\"scenario\": \"/etc/passwd\", \"watch\": \"../../x\"}",
        ),
        400,
    );
    assert!(!message.contains("root:"), "{message}");
}

/// Nothing but the run's folder was written: no staging folder, nothing beside
/// serve/.
fn assert_only_the_run_was_written(served: &Served) {
    let serve_dir: Vec<String> = std::fs::read_dir(served.results.join("serve"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(serve_dir, vec!["run-0001"]);
    let top: Vec<String> = std::fs::read_dir(&served.results)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(top, vec!["serve"]);
}

/// The weeks the page got are timeseries.csv's rows, number for number; the
/// weeks, returned.
fn assert_weeks_are_the_timeseries(served: &Served, id: u64, folder: &Path) -> Vec<Value> {
    let timeseries = folder.join("timeseries.csv");
    let rows = csv_rows(&timeseries);
    let weeks = served.json(&format!("/api/runs/{id}/weeks?from=0"));
    let points = weeks["weeks"].as_array().unwrap();
    assert_eq!(points.len(), rows.len());
    assert_eq!(weeks["next"], rows.len());
    for column in [
        "week",
        "need_hours",
        "informal_hours",
        "unmet_hours",
        "waiting_list",
    ] {
        let c = csv_column(&timeseries, column);
        for (point, row) in points.iter().zip(&rows) {
            let from_csv: f64 = row[c].parse().unwrap();
            assert_eq!(point["row"][column].as_f64(), Some(from_csv), "{column}");
        }
    }
    let later = served.json(&format!("/api/runs/{id}/weeks?from=50"));
    assert_eq!(later["weeks"].as_array().unwrap().len(), rows.len() - 50);
    assert_eq!(later["weeks"][0]["row"]["week"], 50.0);
    error_of(served.get(&format!("/api/runs/{id}/weeks?from=-1")), 400);
    error_of(served.get(&format!("/api/runs/{id}/weeks?since=3")), 400);

    points.clone()
}

/// The run's summary is summary.csv's row.
fn assert_summary_is_the_csv_row(run: &Value, folder: &Path) {
    let summary_csv = folder.join("summary.csv");
    let summary = &csv_rows(&summary_csv)[0];
    for column in [
        "unmet_share",
        "informal_hours",
        "burnouts",
        "exchange_matches",
    ] {
        let from_csv: f64 = summary[csv_column(&summary_csv, column)].parse().unwrap();
        assert_eq!(run["summary"][column].as_f64(), Some(from_csv), "{column}");
    }
    assert!(run["summary"]["exchange_matches"].as_f64().unwrap() > 0.0);
}

/// The drawn block: residents of Parkwijk, capped, and help flows to them.
fn assert_the_block_is_drawn(served: &Served, id: u64, points: &[Value]) {
    let network = served.json(&format!("/api/runs/{id}/network"));
    let picture = &network["picture"];
    assert_eq!(picture["neighbourhood"], "Parkwijk");
    let nodes = picture["nodes"].as_array().unwrap().len();
    assert_eq!(nodes, 150);
    assert!(!picture["edges"].as_array().unwrap().is_empty());
    let flows: usize = points
        .iter()
        .map(|p| p["flows"].as_array().unwrap().len())
        .sum();
    assert!(flows > 0, "help reached the block");
    for point in points {
        for flow in point["flows"].as_array().unwrap() {
            assert!(flow["to"].as_u64().unwrap() < nodes as u64);
            assert!(flow["hours"].as_f64().unwrap() > 0.0);
        }
    }
}

#[test]
fn a_run_streams_its_weeks_and_writes_its_folder_under_the_results_folder() {
    let served = Served::start();
    let (status, body) = served.post(
        "/api/runs",
        "application/json",
        "{\"scenario\": \"baseline\", \"cohesion\": 0.7, \"help_exchange\": \"open\", \
         \"watch\": \"Parkwijk\", \"pace_ms\": 0}",
    );
    assert_eq!(status, 201, "{body}");
    let started: Value = serde_json::from_str(&body).unwrap();
    let id = started["id"].as_u64().unwrap();
    assert_eq!(started["folder"], "serve/run-0001");
    assert_eq!(started["levers"]["cohesion"], 0.7);
    assert_eq!(started["levers"]["help_exchange"], "open");

    let run = finished(&served, id);
    let folder = served.results.join("serve/run-0001");
    for file in [
        "scenario.toml",
        "manifest.json",
        "timeseries.csv",
        "flows.csv",
        "neighbourhoods.csv",
        "summary.csv",
        "network_summary.csv",
    ] {
        assert!(folder.join(file).is_file(), "{file}");
    }
    assert_only_the_run_was_written(&served);
    let points = assert_weeks_are_the_timeseries(&served, id, &folder);
    assert_summary_is_the_csv_row(&run, &folder);
    // The levers reached the scenario that ran.
    let scenario = std::fs::read_to_string(folder.join("scenario.toml")).unwrap();
    assert_eq!(
        scenario.matches("\ncohesion = 0.7\n").count(),
        5,
        "{scenario}"
    );

    assert_the_block_is_drawn(&served, id, &points);

    // Ctrl-C ends the server cleanly.
    let printed = served.interrupt();
    assert!(printed.contains("carenet serve: stopped"), "{printed}");
}

#[test]
fn a_new_server_numbers_its_runs_after_the_folders_already_there() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("results/serve/run-0007")).unwrap();
    let served = Served::start_in(dir);
    let (status, body) = served.post(
        "/api/runs",
        "application/json",
        "{\"scenario\": \"delange-mutual-aid\", \"pace_ms\": 0}",
    );
    assert_eq!(status, 201, "{body}");
    assert!(body.contains("\"folder\":\"serve/run-0008\""), "{body}");
    finished(&served, 8);
    assert!(served.results.join("serve/run-0008/summary.csv").is_file());
}

/// QA 32: a student gave --results their own file; the refusal named it but said
/// no fix. It must say one, exit 4 and leave the file as it was.
#[test]
fn a_results_folder_that_is_a_file_is_refused_with_a_fix_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let essay = dir.path().join("Zoë's essay.docx");
    std::fs::write(&essay, "my essay").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_carenet"))
        .args(["serve", "--port", "0", "--results"])
        .arg(&essay)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains("Zoë's essay.docx"), "{stderr}");
    assert!(stderr.contains("fix: give --results a folder"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&essay).unwrap(), "my essay");
}

/// Polls run `id` until its state is `state` (or fails the test after a minute).
fn until_state(served: &Served, id: u64, state: &str) -> Value {
    let started = Instant::now();
    loop {
        let run = served.json(&format!("/api/runs/{id}"));
        if run["status"]["state"] == state {
            return run;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "{run}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The page's Stop (and a closed tab's beacon) ends a run before its next
/// week: nothing of it is written, and its place is free at once (before,
/// a run nobody watched held one of the two places until its end).
#[test]
fn a_stopped_run_writes_nothing_and_frees_its_place() {
    let served = Served::start();
    let start = |pace: u32| {
        let body = format!("{{\"scenario\": \"delange-mutual-aid\", \"pace_ms\": {pace}}}");
        let (status, body) = served.post("/api/runs", "application/json", &body);
        assert_eq!(status, 201, "{body}");
        serde_json::from_str::<Value>(&body).unwrap()["id"]
            .as_u64()
            .unwrap()
    };
    let slow = [start(1000), start(1000)];
    let (status, body) = served.post(
        "/api/runs",
        "application/json",
        "{\"scenario\": \"baseline\"}",
    );
    assert_eq!(status, 429, "two slow runs hold both places: {body}");
    for id in slow {
        until_state(&served, id, "running");
        let (status, body) = served.post(&format!("/api/runs/{id}/stop"), "text/plain", "");
        assert_eq!(status, 202, "{body}");
        let run = until_state(&served, id, "stopped");
        assert!(run["summary"].is_null(), "{run}");
    }
    let serve_dir = served.results.join("serve");
    let left: Vec<_> = std::fs::read_dir(&serve_dir)
        .map(|entries| entries.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(
        left.is_empty(),
        "a stopped run left {left:?} in {serve_dir:?}"
    );

    let next = start(0);
    let run = finished(&served, next);
    assert_eq!(run["folder"], "serve/run-0003");
    assert!(served.results.join("serve/run-0003/summary.csv").is_file());
    // Stopping a finished run leaves it done; an unknown run is a 404.
    let (status, _) = served.post(&format!("/api/runs/{next}/stop"), "text/plain", "");
    assert_eq!(status, 202);
    assert_eq!(
        served.json(&format!("/api/runs/{next}"))["status"]["state"],
        "done"
    );
    let (status, body) = served.post("/api/runs/99/stop", "text/plain", "");
    assert_eq!(error_of((status, body), 404), "there is no run 99");
    let (status, _) = served.get(&format!("/api/runs/{next}/stop"));
    assert_eq!(status, 405, "stop takes POST");
}
