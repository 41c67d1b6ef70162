//! The `newsdesk` command: serve the API (default), apply migrations, print the OpenAPI
//! document, or load demo / benchmark content.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use secrecy::SecretString;

use newsdesk::clock::Clock;
use newsdesk::config::Config;
use newsdesk::db;
use newsdesk::index::engine::{Rebuild, SearchIndex};
use newsdesk::{seed, startup, telemetry};

#[derive(Parser)]
#[command(name = "newsdesk", version, about = "Content API of a news publisher")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations and serve the API (the default).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Rebuild the search index (NEWSDESK_SEARCH_DIR) from the stored articles.
    Reindex,
    /// Query the search index directly (no HTTP, no database reads for the hits): print the
    /// top 20 of QUERY, or time the queries of a file. Stop the server using the index first.
    Search {
        /// A query in the search language, e.g. `"oil prices" baku -gas`.
        #[arg(required_unless_present = "queries")]
        query: Option<String>,
        /// Time each query of this file (one per line) instead: top 20, total and facets, as
        /// `GET /search` computes them.
        #[arg(long, value_name = "FILE")]
        queries: Option<std::path::PathBuf>,
        /// How many times each query of the file runs.
        #[arg(long, default_value_t = 5)]
        rounds: u32,
    },
    /// Import another system's export into this newsroom (idempotent: the same file twice
    /// changes nothing).
    Import {
        #[command(subcommand)]
        format: ImportFormat,
    },
    /// Write the whole newsroom (sections, authors, tags, every article with its relations)
    /// to a file or standard output: newsdesk's own JSON lines, or WordPress's WXR.
    Export {
        /// `jsonl` (read back by `newsdesk import jsonl`) or `wordpress` (WXR 1.2).
        #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
        format: ExportFormat,
        /// Where to write (default: standard output).
        #[arg(long, short)]
        output: Option<std::path::PathBuf>,
    },
    /// Manage newsroom accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Load content: a demo newsroom, or N synthetic articles for benchmarks.
    Seed {
        /// A made-up newsroom: sections, authors, tags and 300+ articles in en/ru/az.
        #[arg(
            long,
            conflicts_with = "generate",
            required_unless_present = "generate"
        )]
        demo: bool,
        /// N synthetic articles of about 600 words each.
        #[arg(long, value_name = "N")]
        generate: Option<u64>,
        /// Replace existing content instead of refusing to run.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportFormat {
    Jsonl,
    Wordpress,
}

#[derive(Subcommand)]
enum ImportFormat {
    /// A WordPress export (Tools → Export: WXR 1.0 to 1.2), read as a stream.
    Wordpress {
        /// The export file.
        file: std::path::PathBuf,
        /// Report what would be imported; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Language of the imported articles (default: the site's default language).
        #[arg(long)]
        lang: Option<String>,
        /// Put a category's posts in an existing section: `--section news=world` (repeatable);
        /// other categories become sections of their own.
        #[arg(long = "section", value_name = "CATEGORY=SECTION")]
        sections: Vec<String>,
        /// Posts per transaction.
        #[arg(long, default_value_t = 500)]
        batch: usize,
    },
    /// A Ghost export (Settings → Labs → Export; JSON, Ghost 2 to 5), read as a stream.
    Ghost {
        /// The export file.
        file: std::path::PathBuf,
        /// Report what would be imported; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Language of the imported articles (default: the site's default language).
        #[arg(long)]
        lang: Option<String>,
        /// Put a primary tag's posts in an existing section: `--section news=world`
        /// (repeatable); other primary tags become sections of their own.
        #[arg(long = "section", value_name = "TAG=SECTION")]
        sections: Vec<String>,
        /// Posts per transaction.
        #[arg(long, default_value_t = 500)]
        batch: usize,
    },
    /// A newsdesk export (`newsdesk export --format jsonl`), read as a stream.
    Jsonl {
        /// The export file.
        file: std::path::PathBuf,
        /// Report what would be imported; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Records per transaction.
        #[arg(long, default_value_t = 500)]
        batch: usize,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; the password is read from standard input (one line).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, editor or writer
        #[arg(long)]
        role: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Openapi = command {
        return match newsdesk::openapi().to_pretty_json() {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => startup::fail(format!("cannot render the OpenAPI document: {e}")),
        };
    }
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => return startup::fail(format!("configuration error: {e}")),
    };
    telemetry::init_logging(config.log_format);
    match command {
        Command::Serve => startup::serve(config),
        Command::Migrate => match startup::migrate(&config) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => startup::fail(e),
        },
        Command::Seed {
            demo,
            generate,
            force,
        } => {
            match startup::migrate(&config).and_then(|()| run_seed(&config, demo, generate, force))
            {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => startup::fail(e),
            }
        }
        Command::User {
            command: UserCommand::Create { email, name, role },
        } => match startup::migrate(&config)
            .and_then(|()| create_user(&config, &email, &name, &role))
        {
            Ok(id) => {
                println!("created {role} {} (id {id})", email.trim().to_lowercase());
                ExitCode::SUCCESS
            }
            Err(e) => startup::fail(e),
        },
        Command::Reindex => match startup::migrate(&config).and_then(|()| reindex(&config)) {
            Ok(n) => {
                println!("indexed {n} articles");
                ExitCode::SUCCESS
            }
            Err(e) => startup::fail(e),
        },
        Command::Search {
            query,
            queries,
            rounds,
        } => match startup::migrate(&config)
            .and_then(|()| search(&config, query.as_deref(), queries.as_deref(), rounds))
        {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => startup::fail(e),
        },
        Command::Import { format } => {
            let (source, file, dry_run, lang, sections, batch) = match format {
                ImportFormat::Wordpress {
                    file,
                    dry_run,
                    lang,
                    sections,
                    batch,
                } => (Source::Wordpress, file, dry_run, lang, sections, batch),
                ImportFormat::Ghost {
                    file,
                    dry_run,
                    lang,
                    sections,
                    batch,
                } => (Source::Ghost, file, dry_run, lang, sections, batch),
                ImportFormat::Jsonl {
                    file,
                    dry_run,
                    batch,
                } => (Source::Jsonl, file, dry_run, None, Vec::new(), batch),
            };
            let options = sections
                .iter()
                .map(|m| {
                    m.split_once('=')
                        .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
                        .ok_or_else(|| format!("--section {m:?}: expected NAME=SECTION"))
                })
                .collect::<Result<_, _>>()
                .map(|sections| newsdesk::import::Options {
                    dry_run,
                    lang,
                    sections,
                    batch,
                });
            match options.and_then(|o| {
                startup::migrate(&config).and_then(|()| import(&config, source, &file, &o))
            }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => startup::fail(e),
            }
        }
        Command::Export { format, output } => {
            match startup::migrate(&config).and_then(|()| export(&config, format, output)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => startup::fail(e),
            }
        }
        Command::Openapi => unreachable!("handled above"),
    }
}

fn run_seed(config: &Config, demo: bool, generate: Option<u64>, force: bool) -> Result<(), String> {
    let db = config.db(4);
    let clock = Clock::system();
    let report = match generate {
        Some(n) => seed::generate(&db, n, force, clock.now_naive()),
        None if demo => seed::demo(&db, force, clock.now_naive()),
        None => unreachable!("clap requires --demo or --generate"),
    }
    .map_err(|e| e.to_string())?;
    println!("{report}");
    Ok(())
}

/// One database connection for a command, set up as the server's are (SQLite: WAL, foreign
/// keys, a busy timeout, so a running server and the command take turns; PostgreSQL: UTC),
/// but reading SQLite without a memory map: a command streams through the file once.
fn connection(config: &Config) -> Result<db::PooledConnection, String> {
    db::Db::new(&config.database_url, 1, config.db_timeout, 0)
        .get()
        .map_err(|e| format!("cannot connect to the database: {}", e.describe()))
}

#[derive(Clone, Copy)]
enum Source {
    Wordpress,
    Ghost,
    Jsonl,
}

/// `newsdesk import wordpress|ghost|jsonl`: a progress bar on a terminal, log lines otherwise,
/// and the summary at the end.
fn import(
    config: &Config,
    source: Source,
    file: &std::path::Path,
    options: &newsdesk::import::Options,
) -> Result<(), String> {
    use std::io::IsTerminal;
    let mut conn = connection(config)?;
    let size = std::fs::metadata(file)
        .map_err(|e| format!("{}: {e}", file.display()))?
        .len();
    let bar = indicatif::ProgressBar::new(size).with_style(
        indicatif::ProgressStyle::with_template(
            "{msg} [{bar:40}] {bytes}/{total_bytes}, {bytes_per_sec}, {eta} left",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message(if options.dry_run {
        "reading (dry run)"
    } else {
        "importing"
    });
    let terminal = std::io::stderr().is_terminal();
    let mut logged = 0u64;
    let started = std::time::Instant::now();
    let now = chrono::Utc::now().naive_utc();
    let progress = |read: u64| {
        bar.set_position(read);
        if !terminal && size > 0 && read * 10 / size > logged {
            logged = read * 10 / size;
            tracing::info!(read, size, percent = read * 100 / size, "importing");
        }
    };
    let summary = match source {
        Source::Ghost => newsdesk::import::ghost(&mut conn, file, options, now, progress),
        Source::Wordpress => newsdesk::import::wordpress(&mut conn, file, options, now, progress),
        Source::Jsonl => newsdesk::import::jsonl::jsonl(&mut conn, file, options, now, progress),
    }
    .map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    let json = serde_json::to_string_pretty(&summary).unwrap_or_default();
    println!(
        "{} {} in {:.1} s:\n{json}",
        if options.dry_run {
            "would import (dry run, nothing written)"
        } else {
            "imported"
        },
        file.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `newsdesk export`: to a file (written beside it, then renamed, so a failed export leaves
/// no half file) or to standard output; a progress bar on a terminal.
fn export(
    config: &Config,
    format: ExportFormat,
    output: Option<std::path::PathBuf>,
) -> Result<(), String> {
    use std::io::{IsTerminal, Write};
    let mut conn = connection(config)?;
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template(
            "exporting [{bar:40}] {pos}/{len} articles, {per_sec}, {eta} left",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let progress = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let started = std::time::Instant::now();
    let mut write = |out: &mut dyn Write| match format {
        ExportFormat::Jsonl => newsdesk::export::jsonl(&mut conn, &mut *out, progress),
        ExportFormat::Wordpress => {
            newsdesk::export::wxr::write(&mut conn, &mut *out, &config.base_url, progress)
        }
    };
    let counts = match &output {
        Some(path) => {
            let partial = path.with_extension("partial");
            let file = std::fs::File::create(&partial)
                .map_err(|e| format!("{}: {e}", partial.display()))?;
            let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
            let counts = write(&mut out)
                .and_then(|c| {
                    out.flush()?;
                    Ok(c)
                })
                .map_err(|e| {
                    let _ = std::fs::remove_file(&partial);
                    e.to_string()
                })?;
            std::fs::rename(&partial, path).map_err(|e| format!("{}: {e}", path.display()))?;
            counts
        }
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
            let counts = write(&mut out).map_err(|e| e.to_string())?;
            out.flush().map_err(|e| e.to_string())?;
            counts
        }
    };
    bar.finish_and_clear();
    eprintln!(
        "exported {} articles, {} sections, {} authors, {} tags{} in {:.1} s",
        counts.articles,
        counts.sections,
        counts.authors,
        counts.tags,
        output
            .as_ref()
            .map(|p| format!(" to {}", p.display()))
            .unwrap_or_default(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// A database connection and this machine's search index, for the commands that use it.
fn open_search_index(config: &Config) -> Result<(db::DbConnection, SearchIndex), String> {
    let conn = config.database_url.establish().map_err(|e| {
        format!(
            "cannot connect to the database: {}",
            startup::one_line(&e.to_string())
        )
    })?;
    let index = SearchIndex::open(&config.search_dir()).map_err(|e| e.to_string())?;
    Ok((conn, index))
}

/// `newsdesk reindex`: rebuilds this machine's search index (`NEWSDESK_SEARCH_DIR`) from the
/// database, with a progress bar on a terminal. A server using the directory must be stopped
/// first (it would rebuild by itself anyway when it finds the index missing or stale).
fn reindex(config: &Config) -> Result<u64, String> {
    let (mut conn, index) = open_search_index(config)?;
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template(
            "{msg} [{bar:40}] {pos}/{len} articles, {per_sec}, {eta} left",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_message("indexing");
    let started = std::time::Instant::now();
    let n = index
        .rebuild(&mut conn, &Rebuild::Asked, |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .map_err(|e| format!("rebuilding the search index: {e}"))?;
    bar.finish_and_clear();
    println!(
        "search index in {} rebuilt in {:.1} s",
        index.dir().display(),
        started.elapsed().as_secs_f64()
    );
    Ok(n)
}

/// `newsdesk search`: one query's top 20, or the engine's time per query of a file.
fn search(
    config: &Config,
    query: Option<&str>,
    file: Option<&std::path::Path>,
    rounds: u32,
) -> Result<(), String> {
    use newsdesk::index::engine::Request;
    use newsdesk::index::query::Query;
    use newsdesk::index::search::Order;
    let (mut conn, index) = open_search_index(config)?;
    index.start(&mut conn).map_err(|e| e.to_string())?;
    let filter = newsdesk::domain::FeedFilter::default();
    let now = Clock::system().now_naive();
    let run = |q: &Query| {
        index
            .search(&Request {
                query: q,
                filter: &filter,
                now,
                order: Order::Relevance,
                after: None,
                limit: 21,
                bodies: true,
            })
            .map_err(|e| e.to_string())
    };
    let Some(file) = file else {
        let q = Query::parse(query.unwrap_or_default()).map_err(|e| e.describe())?;
        let found = run(&q)?;
        println!("{} hits", found.total);
        for hit in found.hits.iter().take(20) {
            println!("{:>10}  {:.4}  {}", hit.id, hit.score, hit.published_at);
        }
        return Ok(());
    };
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let parsed: Vec<Query> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(Query::parse)
        .collect::<Result<_, _>>()
        .map_err(|e| e.describe())?;
    let mut times = Vec::new();
    for _ in 0..rounds.max(1) {
        for q in &parsed {
            let started = std::time::Instant::now();
            run(q)?;
            times.push(started.elapsed());
        }
    }
    times.sort();
    let at = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1e3;
    println!(
        "{} queries x {} rounds: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        parsed.len(),
        rounds.max(1),
        at(0.5),
        at(0.99),
        at(1.0)
    );
    Ok(())
}

/// `newsdesk user create`: the password comes from standard input, never the command line.
fn create_user(config: &Config, email: &str, name: &str, role: &str) -> Result<i64, String> {
    let mut password = String::new();
    std::io::stdin()
        .read_line(&mut password)
        .map_err(|e| format!("reading the password from standard input: {e}"))?;
    let password = SecretString::from(password.trim_end_matches(['\r', '\n']).to_string());
    let db = config.db(1);
    let mut conn = db.get().map_err(|e| e.to_string())?;
    newsdesk::users::routes::create_account(
        &mut conn,
        email,
        name,
        role,
        &password,
        Clock::system().now_naive(),
    )
    .map_err(|e| e.describe())
}
