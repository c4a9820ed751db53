//! `carenet serve`: a local web page for teaching. Pick a research scenario,
//! move the levers, run, and watch the weekly charts and one neighbourhood's
//! network fill as the weeks are simulated.
//!
//! The HTTP side is [`http`] (std only: a thread and a request per
//! connection), bound to 127.0.0.1 only. The page and its scripts are built into the binary
//! ([`assets`]); no request path is ever used to open a file. Runs write their
//! folders under `<results>/serve/run-NNNN/` with ids the server hands out.
//!
//! | route | what it answers |
//! |---|---|
//! | `GET /` | the page |
//! | `GET /assets/NAME` | a built-in script or style sheet |
//! | `GET /api/scenarios` | the built-in scenarios with their levers' values |
//! | `POST /api/runs` | start a run (JSON body, [`levers::RunRequest`]): 201 with its id |
//! | `GET /api/runs/ID` | a run's state, levers and, when done, its summary.csv row |
//! | `GET /api/runs/ID/weeks?from=N` | reported weeks from index N: timeseries.csv rows and help to the drawn block; in a run of several years the week that ends a year also has the year's yearly.csv row (`year`) |
//! | `GET /api/runs/ID/network` | the drawn block: residents and ties by kind |
//! | `POST /api/runs/ID/stop` | stop a run before its next week, writing nothing (the page's Stop, and a closed tab): 202 with its state |
//!
//! Errors are JSON `{"error": ..., "fix": ...}` with status 400 (malformed
//! request, unknown field, value out of range), 403 (a Host other than this
//! server), 404, 405, 411, 413, 415 or 429 (too many runs at once).

pub mod assets;
pub mod http;
pub mod runs;

pub use crate::page::{levers, picture};

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use serde_json::{Value, json};

use http::{Body, Request, Response};

use levers::{RunRequest, plan};
use runs::{RunState, Runs, StartError};

/// Largest request body accepted: a run request is a few hundred bytes.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "cannot listen on 127.0.0.1:{port}: {message}\n  fix: choose another --port, or 0 for any free port"
    )]
    Bind { port: u16, message: String },
    #[error(
        "cannot use the results folder {}: {source}\n  fix: give --results a folder you can write to (it is made if missing), not a file, e.g. --results results",
        path.display()
    )]
    Results {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A running page server.
pub struct Server {
    listener: TcpListener,
    address: SocketAddr,
    app: Arc<App>,
}

/// What request handlers share.
struct App {
    runs: Runs,
    /// Host headers this server answers (against DNS rebinding: a page of
    /// another site that resolves its name to 127.0.0.1 gets 403).
    hosts: [String; 2],
}

impl Server {
    /// Listens on 127.0.0.1:`port` (0: any free port); runs go to
    /// `results/serve/`.
    pub fn bind(port: u16, results: &Path) -> Result<Server, ServeError> {
        let serve_dir = results.join("serve");
        std::fs::create_dir_all(&serve_dir).map_err(|source| ServeError::Results {
            path: serve_dir.clone(),
            source,
        })?;
        let (listener, address) = http::bind(port).map_err(|e| ServeError::Bind {
            port,
            message: e.to_string(),
        })?;
        let hosts = [
            format!("127.0.0.1:{}", address.port()),
            format!("localhost:{}", address.port()),
        ];
        Ok(Server {
            listener,
            address,
            app: Arc::new(App {
                runs: Runs::new(results),
                hosts,
            }),
        })
    }

    /// The page's address.
    pub fn url(&self) -> String {
        format!("http://{}/", self.address)
    }

    /// Answers requests, each in its own thread, until `stop` is set; then lets
    /// the running runs finish and write their folders.
    pub fn run_until(&self, stop: &AtomicBool) {
        let app = self.app.clone();
        http::serve_until(&self.listener, stop, move |request| app.handle(request));
        self.app.runs.stop();
    }
}

/// A response about to be sent.
struct Reply {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    extra: Vec<(&'static str, String)>,
}

impl Reply {
    fn json(status: u16, value: &Value) -> Reply {
        Reply {
            status,
            content_type: "application/json; charset=utf-8",
            body: value.to_string().into_bytes(),
            extra: Vec::new(),
        }
    }

    fn error(status: u16, message: impl Into<String>, fix: impl Into<String>) -> Reply {
        Reply::json(
            status,
            &json!({"error": message.into(), "fix": fix.into(), "status": status}),
        )
    }

    fn not_found(path: &str) -> Reply {
        Reply::error(
            404,
            format!("nothing here: {path}"),
            "open / for the page; the API is under /api/scenarios and /api/runs",
        )
    }

    fn with(mut self, name: &'static str, value: String) -> Reply {
        self.extra.push((name, value));
        self
    }
}

impl App {
    fn handle(&self, request: &Request) -> Response {
        let reply = self.answer(request);
        let headers = [
            ("Content-Type", reply.content_type.to_string()),
            ("Cache-Control", "no-store".into()),
            ("X-Content-Type-Options", "nosniff".into()),
            // Everything the page uses comes from this server.
            (
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; connect-src 'self'; \
                 frame-ancestors 'none'"
                    .into(),
            ),
        ];
        Response {
            status: reply.status,
            headers: headers.into_iter().chain(reply.extra).collect(),
            body: reply.body,
        }
    }

    fn answer(&self, request: &Request) -> Reply {
        let host = request.header("Host").map(str::to_ascii_lowercase);
        if !host.is_some_and(|h| self.hosts.contains(&h)) {
            return Reply::error(
                403,
                "this server answers only requests addressed to itself",
                format!("open http://{}/", self.hosts[0]),
            );
        }
        let url = request.url.as_str();
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let segments: Vec<&str> = path.split('/').skip(1).collect();
        let method = request.method.as_str();
        let get = method == "GET" || method == "HEAD";
        let allow = |methods: &str| {
            Reply::error(
                405,
                format!("{method} is not allowed on {path}"),
                format!("use {methods}"),
            )
            .with("Allow", methods.to_string())
        };
        let no_query = |reply: Reply| {
            if query.is_empty() {
                reply
            } else {
                Reply::error(
                    400,
                    format!("{path} takes no query parameters"),
                    format!("request {path} without ?{query}"),
                )
            }
        };
        match segments.as_slice() {
            [""] | ["index.html"] if get => no_query(asset_reply("index.html")),
            ["assets", name] if get => no_query(asset_reply(name)),
            ["api", "scenarios"] if get => no_query(scenarios_reply()),
            ["api", "runs"] if method == "POST" => no_query(self.start_run(request)),
            ["api", "runs", id, "stop"] if method == "POST" => no_query(self.stop_run(id)),
            ["api", "runs", id, rest @ ..] if get => match id.parse::<u32>() {
                Err(_) => Reply::error(
                    400,
                    format!("{id:?} is not a run id"),
                    "run ids are the numbers POST /api/runs returns",
                ),
                Ok(id) => match (self.runs.get(id), rest) {
                    (None, _) => Reply::error(
                        404,
                        format!("there is no run {id}"),
                        "start a run with POST /api/runs; runs of an earlier server are in its results folder",
                    ),
                    (Some(run), []) => no_query(Reply::json(200, &run_json(&run))),
                    (Some(run), ["weeks"]) => weeks_reply(&run, query),
                    (Some(run), ["network"]) => no_query(network_reply(&run)),
                    (Some(_), ["stop"]) => allow("POST"),
                    (Some(_), _) => Reply::not_found(path),
                },
            },
            [""] | ["index.html"] | ["assets", _] | ["api", "scenarios"] | ["api", "runs", ..] => {
                let posts = path == "/api/runs" || path.ends_with("/stop");
                allow(if posts { "POST" } else { "GET" })
            }
            _ => Reply::not_found(path),
        }
    }

    /// Asks run `id` to stop; a run already ended stays as it ended.
    fn stop_run(&self, id: &str) -> Reply {
        match id.parse::<u32>().ok().and_then(|n| self.runs.get(n)) {
            None => Reply::error(
                404,
                format!("there is no run {id}"),
                "stop a run by the id POST /api/runs gave it",
            ),
            Some(run) => {
                run.stop();
                Reply::json(202, &run_json(&run))
            }
        }
    }

    fn start_run(&self, request: &Request) -> Reply {
        let json_body = request
            .header("Content-Type")
            .is_some_and(|v| v.to_ascii_lowercase().starts_with("application/json"));
        if !json_body {
            return Reply::error(
                415,
                "a run request must be JSON",
                "send the body with Content-Type: application/json",
            );
        }
        let body = match &request.body {
            Body::Read(body) => body,
            Body::TooLarge => return too_large(),
            Body::LengthRequired => {
                return Reply::error(
                    411,
                    "a run request needs a Content-Length",
                    "send the JSON body whole, with Content-Length (not chunked)",
                );
            }
        };
        let run_request: RunRequest = match serde_json::from_slice(body) {
            Ok(r) => r,
            Err(e) => {
                return Reply::error(
                    400,
                    format!("the run request is not valid: {e}"),
                    "send a JSON object like {\"scenario\": \"baseline\", \"cohesion\": 0.5}; \
                     fields: scenario, cohesion, institutional_trust, network_first, \
                     help_exchange (off, open, reciprocal), formal_capacity, help_radius \
                     (unlimited, area, neighbourhood), watch, pace_ms, seed",
                );
            }
        };
        let plan = match plan(&run_request) {
            Ok(p) => p,
            Err(rejection) => return Reply::error(400, rejection.message, rejection.fix),
        };
        match self.runs.start(plan) {
            Ok(run) => {
                Reply::json(201, &run_json(&run)).with("Location", format!("/api/runs/{}", run.id))
            }
            Err(StartError::Busy) => Reply::error(
                429,
                format!("{} runs are going already", runs::MAX_ACTIVE_RUNS),
                "wait until one is done, then run again",
            ),
        }
    }
}

fn too_large() -> Reply {
    Reply::error(
        413,
        format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
        "a run request is a small JSON object",
    )
}

fn asset_reply(name: &str) -> Reply {
    match assets::find(name) {
        Some(asset) => Reply {
            status: 200,
            content_type: asset.content_type,
            body: asset.bytes.to_vec(),
            extra: Vec::new(),
        },
        None => Reply::not_found(&format!("/assets/{name}")),
    }
}

fn scenarios_reply() -> Reply {
    match crate::page::catalogue_json() {
        Ok(catalogue) => Reply::json(200, &catalogue),
        Err(rejection) => Reply::error(500, rejection.message, rejection.fix),
    }
}

fn run_json(run: &RunState) -> Value {
    let progress = run.progress();
    json!({
        "id": run.id,
        "scenario": run.scenario,
        "status": progress.status,
        "weeks_done": progress.weeks_done,
        "total_weeks": run.total_weeks,
        "burn_in_weeks": run.burn_in_weeks,
        "reported_weeks": progress.weeks.len(),
        "folder": run.folder,
        "levers": run.levers,
        "watch": run.watch,
        "summary": progress.summary,
    })
}

fn weeks_reply(run: &RunState, query: &str) -> Reply {
    let mut from = 0usize;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("from", value)) => match value.parse() {
                Ok(n) => from = n,
                Err(_) => {
                    return Reply::error(
                        400,
                        format!("from={value} is not a week index"),
                        "send from as a whole number of weeks already received, e.g. ?from=12",
                    );
                }
            },
            _ => {
                return Reply::error(
                    400,
                    format!("unknown query parameter {pair:?}"),
                    "the only parameter is from=N",
                );
            }
        }
    }
    let progress = run.progress();
    let weeks = progress.weeks.get(from..).unwrap_or(&[]);
    Reply::json(
        200,
        &json!({
            "status": progress.status,
            "weeks_done": progress.weeks_done,
            "total_weeks": run.total_weeks,
            "from": from,
            "next": from + weeks.len(),
            "weeks": weeks,
        }),
    )
}

fn network_reply(run: &RunState) -> Reply {
    let progress = run.progress();
    Reply::json(
        200,
        &json!({"status": progress.status, "picture": progress.picture.as_deref()}),
    )
}
