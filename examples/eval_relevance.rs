//! Scores ranking against the relevance truth set of `tests/data/relevance/` (its README gives
//! the needs, the grading rules and the metrics): P@5, nDCG@10 and recall@10 for each need and
//! their means, for dossier and, where Recoll is installed, for Recoll on the same articles and
//! query strings, side by side.
//!
//! ```text
//! cargo run --release --example eval_relevance                       # ../shared/data/intel-news/articles
//! cargo run --release --example eval_relevance -- --detail skripal   # a need's rankings, graded
//! cargo run --release --example eval_relevance -- --no-recoll DIR    # dossier alone, another copy of the articles
//! ```
//!
//! Both engines index the folder afresh into temporary folders: dossier through its library, as
//! `dossier index` does, Recoll with `recollindex -c CONFDIR` and a configuration whose
//! `topdirs` is the folder. Each query gives 50 results (`recollq -b -n 0-50`; dossier with
//! every copy of a story and one passage an article), reduced to articles by file name, the
//! first occurrence winning. Recoll reads the same query strings: plain words are all required,
//! `"phrases"`, `OR`, `-word` and parentheses mean the same in its query language.

#[path = "../tests/relevance/eval.rs"]
mod eval;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use anyhow::{bail, Context, Result};
use eval::{dossier_rankings, load, mean, score, set_dir, table, Need, Scores};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("eval_relevance: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Whether to run Recoll: when installed (the default), always, or never.
#[derive(PartialEq)]
enum UseRecoll {
    IfInstalled,
    Always,
    Never,
}

/// The command line.
struct Args {
    articles: PathBuf,
    recoll: UseRecoll,
    details: Vec<String>,
}

fn parse_args() -> Result<Args> {
    let mut articles = None;
    let mut recoll = UseRecoll::IfInstalled;
    let mut details = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--recoll" => recoll = UseRecoll::Always,
            "--no-recoll" => recoll = UseRecoll::Never,
            "--detail" => details.push(args.next().context("--detail: expected a need id")?),
            flag if flag.starts_with('-') => bail!(
                "unknown option '{flag}'; usage: eval_relevance [--recoll|--no-recoll] \
                 [--detail NEED]... [ARTICLES_DIR]"
            ),
            dir => articles = Some(PathBuf::from(dir)),
        }
    }
    let articles = articles.unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/intel-news/articles")
    });
    if !articles.is_dir() {
        bail!(
            "no articles folder at '{}'; give the path of intel-news/articles",
            articles.display()
        );
    }
    let articles = articles
        .canonicalize()
        .with_context(|| format!("cannot resolve '{}'", articles.display()))?;
    Ok(Args {
        articles,
        recoll,
        details,
    })
}

fn run() -> Result<()> {
    let Args {
        articles,
        recoll,
        details,
    } = parse_args()?;
    let needs = load(&set_dir())?;
    for id in &details {
        if !needs.iter().any(|n| &n.id == id) {
            bail!("--detail: unknown need '{id}'; see tests/data/relevance/needs.tsv");
        }
    }

    let tmp = tempfile::tempdir().context("cannot make a temporary folder")?;
    eprintln!("indexing {} with dossier ...", articles.display());
    let ours = dossier_rankings(&articles, &tmp.path().join("dossier-index"), &needs)?;
    let theirs = match (&recoll, recoll_installed()) {
        (UseRecoll::Never, _) => None,
        (_, true) => Some(recoll_rankings(&articles, tmp.path(), &needs)?),
        (UseRecoll::Always, false) => bail!("--recoll: recollq or recollindex is not on PATH"),
        (UseRecoll::IfInstalled, false) => {
            eprintln!(
                "recollq and recollindex are not on PATH: dossier's figures alone (Debian: \
                 apt-get install recollcmd)"
            );
            None
        }
    };

    let ours_scores = scores(&needs, &ours);
    let mut engines: Vec<(&str, &[Scores])> = vec![("dossier", &ours_scores)];
    let theirs_scores = theirs.as_ref().map(|(_, r)| scores(&needs, r));
    if let Some(s) = &theirs_scores {
        engines.push(("recoll", s));
    }
    println!(
        "{} needs, {} judgments, {}",
        needs.len(),
        needs.iter().map(|n| n.grades.len()).sum::<usize>(),
        articles.display()
    );
    print!("{}", table(&needs, &engines));
    println!(
        "(unj: unjudged articles in the top 10, counted as not relevant; summed on the mean row)"
    );
    summary("dossier", &ours_scores);
    if let (Some((version, _)), Some(s)) = (&theirs, &theirs_scores) {
        summary(version, s);
    }
    for id in &details {
        let i = needs
            .iter()
            .position(|n| &n.id == id)
            .expect("checked above");
        detail(&needs[i], "dossier", &ours[i]);
        if let Some((_, r)) = &theirs {
            detail(&needs[i], "recoll", &r[i]);
        }
    }
    Ok(())
}

fn scores(needs: &[Need], rankings: &[Vec<String>]) -> Vec<Scores> {
    needs
        .iter()
        .zip(rankings)
        .map(|(need, ranking)| score(need, ranking))
        .collect()
}

fn summary(engine: &str, scores: &[Scores]) {
    let m = mean(scores);
    println!(
        "{engine}: mean P@5 {:.3}, nDCG@10 {:.3}, recall@10 {:.3}; {} unjudged in the top 10s",
        m.p5, m.ndcg10, m.recall10, m.unjudged
    );
}

/// A need's top 10 with grades (`-` unjudged), then the relevant articles it left out.
fn detail(need: &Need, engine: &str, ranking: &[String]) {
    println!("\n{} by {engine}: {}", need.id, need.query);
    for (i, a) in ranking.iter().enumerate() {
        let g = need
            .grades
            .get(a)
            .map_or("-".to_string(), |g| g.to_string());
        println!("  {:>2}. [{g}] {a}", i + 1);
    }
    let mut missed: Vec<(&String, &u8)> = need
        .grades
        .iter()
        .filter(|(a, &g)| g > 0 && !ranking.contains(a))
        .collect();
    missed.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (a, g) in missed {
        println!("   missed [{g}] {a}");
    }
}

/// Whether both `recollq` and `recollindex` are on `PATH`.
fn recoll_installed() -> bool {
    let Some(path) = std::env::var_os("PATH") else {
        return false;
    };
    let found = |name: &str| std::env::split_paths(&path).any(|d| d.join(name).is_file());
    found("recollq") && found("recollindex")
}

/// "Recoll 1.34.3 + Xapian 1.4.22", from the usage text of `recollindex`.
fn recoll_version(conf: &Path) -> String {
    let out = Command::new("recollindex")
        .arg("-c")
        .arg(conf)
        .arg("-h")
        .stdin(Stdio::null())
        .output();
    let text = out
        .map(|o| {
            format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            )
        })
        .unwrap_or_default();
    text.lines()
        .find_map(|l| l.trim().strip_prefix("Recoll version: "))
        .unwrap_or("Recoll")
        .to_string()
}

/// Indexes `articles` with Recoll in a configuration under `tmp`, then runs each need's query
/// through `recollq`: Recoll's version and each need's ranking of article file names.
fn recoll_rankings(
    articles: &Path,
    tmp: &Path,
    needs: &[Need],
) -> Result<(String, Vec<Vec<String>>)> {
    let conf = tmp.join("recoll-config");
    std::fs::create_dir_all(&conf)?;
    std::fs::write(
        conf.join("recoll.conf"),
        format!("topdirs = {}\nloglevel = 1\n", articles.display()),
    )?;
    let version = recoll_version(&conf);
    eprintln!("indexing {} with {version} ...", articles.display());
    let status = Command::new("recollindex")
        .arg("-c")
        .arg(&conf)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .context("cannot run recollindex")?;
    if !status.success() {
        bail!("recollindex -c '{}' failed: {status}", conf.display());
    }
    let rankings = needs
        .iter()
        .map(|need| {
            let out = Command::new("recollq")
                .arg("-c")
                .arg(&conf)
                .args(["-b", "-n", &format!("0-{}", eval::FETCH)])
                .arg(&need.query)
                .stdin(Stdio::null())
                .output()
                .context("cannot run recollq")?;
            if !out.status.success() {
                bail!(
                    "recollq failed on need '{}': {}",
                    need.id,
                    String::from_utf8_lossy(&out.stderr).trim()
                );
            }
            let stdout = String::from_utf8_lossy(&out.stdout);
            let paths: Vec<&str> = stdout
                .lines()
                .filter_map(|l| l.trim().strip_prefix("file://"))
                .collect();
            Ok(eval::articles(&paths))
        })
        .collect::<Result<_>>()?;
    Ok((version, rankings))
}
