//! Formats other tools use: `export deck --format apkg` (opened here as Anki would: unzip,
//! then SQLite), `import deck` from CSV/TSV spreadsheets, and `report` (HTML and SVG).

use std::collections::HashSet;
use std::io::Read as _;
use std::path::Path;

use rusqlite::Connection;

use crate::{Env, output, root};

const NOW: &str = "2026-01-15T09:00:00Z";

fn run(env: &Env, now: &str, args: &[&str]) -> std::process::Output {
    env.cmd(now).args(args).output().expect("run factdrill")
}

#[track_caller]
fn run_ok(env: &Env, now: &str, args: &[&str]) -> (String, String) {
    let out = run(env, now, args);
    let (stdout, stderr) = output(env, &out);
    assert!(out.status.success(), "{args:?} failed: {stderr}");
    (stdout, stderr)
}

/// The files of a zip archive, by name.
fn unzip(path: &Path) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(path).expect("package exists");
    let mut archive = zip::ZipArchive::new(file).expect("a zip archive");
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).expect("entry");
            assert_eq!(entry.compression(), zip::CompressionMethod::Deflated);
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).expect("entry reads");
            (entry.name().expect("a UTF-8 name").into_owned(), bytes)
        })
        .collect()
}

fn open_package(env: &Env, apkg: &Path) -> Connection {
    let files = unzip(apkg);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["collection.anki2", "media"]);
    assert_eq!(files[1].1, b"{}");
    let collection = env.dir.path().join(format!(
        "{}.anki2",
        apkg.file_stem().unwrap().to_string_lossy()
    ));
    std::fs::write(&collection, &files[0].1).unwrap();
    Connection::open(&collection).expect("collection opens")
}

/// Exports `deck` at `now` to `name` and opens the package's collection.
fn export_apkg(env: &Env, deck: &str, now: &str, name: &str) -> Connection {
    let apkg = env.dir.path().join(name);
    let apkg_text = apkg.to_string_lossy().into_owned();
    let (stdout, stderr) = run_ok(
        env,
        now,
        &["export", "deck", deck, "--format", "apkg", "-o", &apkg_text],
    );
    assert!(stdout.is_empty());
    assert!(stderr.contains("as Anki notes"), "{stderr}");
    open_package(env, &apkg)
}

fn query_strings(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn the_shipped_deck_exports_as_an_anki_package() {
    let env = Env::new();
    let deck = factdrill::deck::load(&root().join("decks/oms.yaml")).unwrap();
    let conn = export_apkg(&env, "decks/oms.yaml", NOW, "oms.apkg");

    let n = deck.cards.len() as i64;
    assert_eq!(count(&conn, "SELECT count(*) FROM notes"), n);
    assert_eq!(count(&conn, "SELECT count(*) FROM cards"), n);
    assert_eq!(count(&conn, "SELECT ver FROM col"), 11);
    // Every card belongs to a note, in the deck, new.
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM cards c JOIN notes n ON n.id = c.nid WHERE c.type = 0 AND c.queue = 0"
        ),
        n
    );

    let models: serde_json::Value =
        serde_json::from_str(&query_strings(&conn, "SELECT models FROM col")[0]).unwrap();
    let decks: serde_json::Value =
        serde_json::from_str(&query_strings(&conn, "SELECT decks FROM col")[0]).unwrap();
    let _: serde_json::Value =
        serde_json::from_str(&query_strings(&conn, "SELECT dconf FROM col")[0]).unwrap();
    let _: serde_json::Value =
        serde_json::from_str(&query_strings(&conn, "SELECT conf FROM col")[0]).unwrap();
    let deck_ids: Vec<i64> = {
        let mut stmt = conn.prepare("SELECT DISTINCT did FROM cards").unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(deck_ids.len(), 1);
    assert_eq!(decks[deck_ids[0].to_string()]["name"], deck.name.as_str());

    // Each note has as many fields as its notetype names.
    let mut stmt = conn.prepare("SELECT mid, flds FROM notes").unwrap();
    let notes: Vec<(i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut kinds = HashSet::new();
    for (mid, fields) in &notes {
        let model = &models[mid.to_string()];
        let names = model["flds"].as_array().expect("notetype fields");
        assert_eq!(fields.split('\u{1f}').count(), names.len(), "{fields}");
        assert_eq!(model["tmpls"].as_array().unwrap().len(), 1);
        kinds.insert(model["name"].as_str().unwrap().to_owned());
    }
    assert_eq!(
        kinds,
        HashSet::from(["factdrill Basic".to_owned(), "factdrill Cloze".to_owned()])
    );
    // The deck's first card, as written in the file.
    let first = &deck.cards[0];
    let front = query_strings(
        &conn,
        &format!(
            "SELECT flds FROM notes WHERE flds LIKE '%{}'",
            format_args!("oms/{}", first.id)
        ),
    );
    assert_eq!(front.len(), 1);
    assert!(front[0].starts_with(&first.prompt), "{}", front[0]);
}

#[test]
fn guids_are_stable_across_exports() {
    let env = Env::new();
    let guids = |conn: &Connection| {
        query_strings(
            conn,
            "SELECT guid || ' ' || substr(flds, instr(flds, 'oms/')) FROM notes ORDER BY guid",
        )
    };
    let a = guids(&export_apkg(&env, "decks/oms.yaml", NOW, "a.apkg"));
    let b = guids(&export_apkg(
        &env,
        "decks/oms.yaml",
        "2026-03-01T12:00:00Z",
        "b.apkg",
    ));
    assert_eq!(a, b);
    let unique: HashSet<&String> = a.iter().collect();
    assert_eq!(unique.len(), a.len());
    // The same clock gives the same bytes.
    run_ok(
        &env,
        NOW,
        &[
            "export",
            "deck",
            "decks/oms.yaml",
            "-o",
            &env.dir.path().join("c.apkg").to_string_lossy(),
        ],
    );
    assert_eq!(
        std::fs::read(env.dir.path().join("a.apkg")).unwrap(),
        std::fs::read(env.dir.path().join("c.apkg")).unwrap()
    );
}

#[test]
fn a_bad_deck_exports_nothing() {
    let env = Env::new();
    let apkg = env.dir.path().join("bad.apkg");
    let out = run(
        &env,
        NOW,
        &[
            "export",
            "deck",
            "tests/fixtures/decks/bad-many.yaml",
            "-o",
            &apkg.to_string_lossy(),
        ],
    );
    let (_, stderr) = output(&env, &out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("tests/fixtures/decks/bad-many.yaml:7:5: duplicate card id"),
        "{stderr}"
    );
    assert!(!apkg.exists());
}

#[test]
fn a_spreadsheet_becomes_a_deck_that_checks() {
    let env = Env::new();
    let deck = env.dir.path().join("cards.yaml");
    let deck_text = deck.to_string_lossy().into_owned();
    let (stdout, stderr) = run_ok(
        &env,
        NOW,
        &[
            "import",
            "deck",
            "tests/fixtures/tables/cards.csv",
            "-o",
            &deck_text,
            "--id",
            "oms-sheet",
            "--name",
            "OMS from a spreadsheet",
        ],
    );
    assert!(stdout.is_empty());
    assert_eq!(
        stderr,
        "factdrill: [TMP]/cards.yaml: deck `oms-sheet` with 7 cards\n"
    );
    let yaml = std::fs::read_to_string(&deck).unwrap();
    insta::assert_snapshot!("imported_csv_deck", yaml);
    let (stdout, _) = run_ok(&env, NOW, &["check", &deck_text]);
    assert!(
        stdout.contains("ok, deck `oms-sheet` with 7 cards"),
        "{stdout}"
    );
    // And on to Anki.
    let conn = export_apkg(&env, &deck_text, NOW, "sheet.apkg");
    assert_eq!(count(&conn, "SELECT count(*) FROM notes"), 7);
}

#[test]
fn a_tsv_without_ids_gets_row_ids_and_a_warning() {
    let env = Env::new();
    let out = run(
        &env,
        NOW,
        &["import", "deck", "tests/fixtures/tables/capitals.tsv"],
    );
    let (stdout, stderr) = output(&env, &out);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.starts_with(
            "factdrill: warning: tests/fixtures/tables/capitals.tsv: there is no `id` column"
        ),
        "{stderr}"
    );
    let deck = factdrill::deck::load_str(&stdout).expect("stdout is a deck");
    assert_eq!(deck.id.as_str(), "capitals");
    assert_eq!(deck.cards.len(), 3);
    assert_eq!(deck.cards[2].prompt, "Capital of\tPeru?");
    assert!(deck.cards.iter().all(|c| c.id.as_str().starts_with("row-")));
    // The same file gives the same ids.
    let again = run(
        &env,
        NOW,
        &["import", "deck", "tests/fixtures/tables/capitals.tsv"],
    );
    assert_eq!(again.stdout, out.stdout);
}

#[test]
fn spreadsheet_problems_point_at_cells() {
    let env = Env::new();
    let out = run(
        &env,
        NOW,
        &["import", "deck", "tests/fixtures/tables/bad.csv"],
    );
    let (stdout, stderr) = output(&env, &out);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.is_empty());
    insta::assert_snapshot!("import_deck_problems", stderr);
}

/// A database with two months of reviews of 28 cards.
fn progress_db(env: &Env) {
    run_ok(
        env,
        NOW,
        &["import", "reviews", "tests/fixtures/reviews/progress.json"],
    );
}

const TITLES: [&str; 12] = [
    "Reviews per day",
    "Last year",
    "Forecast",
    "Cards by state",
    "True retention",
    "Calibration",
    "Intervals",
    "Difficulty",
    "Accuracy by deck",
    "Accuracy by kind",
    "Accuracy by fact",
    "Accuracy by question",
];

#[test]
fn the_html_report_has_every_chart_and_the_stats_numbers() {
    let env = Env::new();
    progress_db(&env);
    let page = env.dir.path().join("progress.html");
    run_ok(&env, NOW, &["report", "-o", &page.to_string_lossy()]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert_eq!(html.matches("<svg").count(), TITLES.len());
    assert_eq!(html.matches("</svg>").count(), TITLES.len());
    for title in TITLES {
        assert!(html.contains(&format!("<h2>{title}</h2>")), "{title}");
    }
    assert!(html.contains("<h2>Most lapses</h2>") && html.contains("<h2>Lowest recall now</h2>"));
    assert!(html.contains("<h2>Most confused</h2>"));
    // Deck text is escaped: the fixture has a prompt with `<b>` in it (the JSON at the end
    // holds it as data, with `</` written `<\/`).
    let body = &html[..html.find("<script").expect("the data script")];
    assert!(body.contains("Question 4 of Capitals? &lt;b&gt;&amp;amp; tricky&lt;/b&gt;"));
    assert!(!body.contains("<b>&amp; tricky"));
    assert!(!html.contains("tricky</b>"));

    // The numbers are the report's: the embedded JSON is what `stats --json` prints.
    let (json, _) = run_ok(&env, NOW, &["stats", "--json"]);
    let stats: serde_json::Value = serde_json::from_str(&json).unwrap();
    let start = html
        .find("<script type=\"application/json\" id=\"report-data\">")
        .expect("report data");
    let data = &html[start..];
    let data = &data[data.find('>').unwrap() + 1..data.find("</script>").unwrap()];
    let embedded: serde_json::Value = serde_json::from_str(&data.replace("<\\/", "</")).unwrap();
    assert_eq!(embedded, stats);
    let total = stats["snapshot"]["reviews_total"]
        .as_i64()
        .or_else(|| stats["reviews_total"].as_i64())
        .expect("total reviews in stats --json");
    assert_eq!(total, 205);
    assert!(html.contains(&format!("<dd>{total} in all</dd>")));
}

#[test]
fn the_svg_report_is_one_image() {
    let env = Env::new();
    progress_db(&env);
    let file = env.dir.path().join("progress.svg");
    run_ok(&env, NOW, &["report", "-o", &file.to_string_lossy()]);
    let svg = std::fs::read_to_string(&file).unwrap();
    assert_eq!(svg.matches("<svg").count(), 1);
    assert_eq!(svg.matches("</svg>").count(), 1);
    assert!(svg.trim_end().ends_with("</svg>"));
    for title in TITLES {
        assert!(svg.contains(title), "{title}");
    }
    assert!(svg.contains("Hardest cards"));
}

#[test]
fn report_refuses_other_file_types_and_unknown_decks() {
    let env = Env::new();
    progress_db(&env);
    let out = run(&env, NOW, &["report", "-o", "progress.pdf"]);
    let (_, stderr) = output(&env, &out);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr,
        "factdrill: error: progress.pdf: a report is written as HTML or SVG; give a file name ending in .html or .svg\n"
    );
    let page = env.dir.path().join("x.html");
    let out = run(
        &env,
        NOW,
        &["report", "--deck", "nope", "-o", &page.to_string_lossy()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(!page.exists());
}

#[test]
fn an_empty_database_has_a_report_too() {
    let env = Env::new();
    let page = env.dir.path().join("empty.html");
    run_ok(&env, NOW, &["report", "-o", &page.to_string_lossy()]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert_eq!(html.matches("<svg").count(), TITLES.len());
    assert!(html.contains("<dd>0 in all</dd>"));
}

#[test]
fn the_new_commands_have_help_with_examples() {
    let env = Env::new();
    for args in [
        ["export", "deck", "--help"],
        ["import", "deck", "--help"],
        ["report", "--help", ""],
    ] {
        let args: Vec<&str> = args.into_iter().filter(|a| !a.is_empty()).collect();
        let (stdout, _) = run_ok(&env, NOW, &args);
        insta::assert_snapshot!(format!("help_{}", args.join("_").replace("--", "")), stdout);
    }
}

/// Two heads of one branch (typed answers, recall), and a choice card (recognition), so
/// a session records both formats and a confusion.
const HEADS: &str = "\
version: 1
id: heads
name: Heads
cards:
  - id: burde
    prompt: Who headed the German branch in 1932?
    answer: Fritz Burde
    source: In 1932 Fritz Burde headed the German branch.
    tags: [head]
  - id: kippenberger
    prompt: Who headed the German branch before Burde?
    answer: Hans Kippenberger
    source: Hans Kippenberger headed the German branch before Burde.
    tags: [head]
  - id: city
    kind: choice
    prompt: Where was the OMS based?
    answer: Berlin
    choices: [Berlin, Vienna, Moscow]
";

/// A history with every kind of review column filled: typed and chosen answers (formats
/// `recall` and `recognition`), a confusion whose expected answer was edited since, and
/// cram practice. Returns the deck file.
pub fn varied_history(env: &Env, now: &str) -> String {
    let path = env.dir.path().join("heads.yaml");
    std::fs::write(&path, HEADS).unwrap();
    let deck = path.to_string_lossy().into_owned();
    let study = |args: &[&str], answers: &str| {
        let out = env
            .cmd(now)
            .args(["study", &deck])
            .args(args)
            .write_stdin(answers)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    };
    // burde: confused with Kippenberger; kippenberger right; city chosen.
    study(
        &["--limit", "3"],
        "Kippenberger\n\nHans Kippenberger\n\n1\n\n",
    );
    // The deck's answer is edited: the confusion keeps the answer expected then.
    std::fs::write(
        &path,
        HEADS.replace("answer: Fritz Burde", "answer: Fritz Burde (KPD)"),
    )
    .unwrap();
    study(&["--cram", "--limit", "1"], "Fritz Burde\n\n");
    deck
}

/// Every column of every review in a database, with its format and confusion rows, by the
/// review's global id; local row ids (`id`, `card_id`, `review_id`) are replaced by the
/// card's deck and card ids. Columns are read with `*`, so a column added to these tables
/// later is compared too.
pub fn review_columns(db: &Path) -> Vec<Vec<(String, String)>> {
    let conn = Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT deck.key AS deck, card.key AS card, r.*, rf.*, rc.*
             FROM review AS r JOIN card ON card.id = r.card_id JOIN deck ON deck.id = card.deck_id
             LEFT JOIN review_format AS rf ON rf.review_id = r.id
             LEFT JOIN confusion AS rc ON rc.review_id = r.id
             ORDER BY r.uid",
        )
        .unwrap();
    let names: Vec<String> = stmt.column_names().map(str::to_owned).collect();
    stmt.query_map([], |row| {
        Ok(names
            .iter()
            .enumerate()
            .filter(|(_, name)| !["id", "card_id", "review_id"].contains(&name.as_str()))
            .map(|(i, name)| {
                let value: rusqlite::types::Value = row.get(i).unwrap();
                (name.clone(), format!("{value:?}"))
            })
            .collect())
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn export_then_import_keeps_every_column_of_every_review() {
    let first = Env::new();
    varied_history(&first, NOW);
    let before = review_columns(&first.db());
    // The history has what the test is about.
    for (column, value) in [
        ("format", "Text(\"recall\")"),
        ("format", "Text(\"recognition\")"),
        ("given", "Text(\"Hans Kippenberger\")"),
        ("expected", "Text(\"Fritz Burde\")"),
        ("mode", "Text(\"cram\")"),
    ] {
        assert!(
            before
                .iter()
                .flatten()
                .any(|(c, v)| c == column && v == value),
            "{column} = {value} in {before:?}"
        );
    }
    let (json, _) = run_ok(&first, NOW, &["export", "reviews", "--format", "json"]);
    assert!(json.starts_with("{\"format\": \"factdrill-reviews\", \"version\": 2,"));
    let file = first.dir.path().join("reviews.json");
    std::fs::write(&file, &json).unwrap();

    let second = Env::new();
    run_ok(&second, NOW, &["import", "reviews", file.to_str().unwrap()]);
    assert_eq!(review_columns(&second.db()), before);
    let (again, _) = run_ok(&second, NOW, &["import", "reviews", file.to_str().unwrap()]);
    assert!(again.contains(": 0 reviews added, 4 already"), "{again}");
    assert_eq!(review_columns(&second.db()), before, "nothing added twice");
    // And the exports agree field for field, apart from the local card numbers.
    let (back, _) = run_ok(&second, NOW, &["export", "reviews", "--format", "json"]);
    let portable = |text: &str| {
        let mut value: serde_json::Value = serde_json::from_str(text).unwrap();
        for review in value["reviews"].as_array_mut().unwrap() {
            review.as_object_mut().unwrap().remove("card_id");
        }
        value
    };
    assert_eq!(portable(&back), portable(&json));

    // CSV carries what it can: the normal reviews' cards, times and ratings.
    let (csv, _) = run_ok(&first, NOW, &["export", "reviews"]);
    assert_eq!(
        csv.lines().count(),
        1 + 3,
        "the header and the 3 normal reviews: {csv}"
    );
}
