//! `seed --generate N`: N synthetic articles of about 600 words for benchmarks, over the last
//! 365 days, in en (70%), ru (15%) and az (15%). Text is drawn from per-language vocabularies
//! with a skewed word distribution, like real prose, so search benchmarks see common and rare
//! words. Generation runs on worker threads while one connection inserts in batches.

use std::collections::HashSet;
use std::sync::mpsc;
use std::time::Instant;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::taxonomy::{self, Taxonomy};
use super::{Draft, drop_indexes, prepare, restore_indexes, unique_slug};
use crate::articles::model::NewArticle;
use crate::articles::queries as article_queries;
use crate::db::{Db, DbConnection};
use crate::domain::Status;
use crate::settings::queries as site_queries;

const BATCH: usize = 500;

const EN_WORDS: &str = "the of and to in a is that for on with as by at from government minister city region company market energy oil gas price prices bank budget parliament election vote voters school schools hospital doctors health water road roads railway port ship cargo trade export exports import imports growth inflation rate rates percent million billion year years month week day today yesterday officials said says according report reports new old first last major local national international president council committee project projects plan plans construction bridge airport flight flights football match team club coach player players goal season championship festival music film theatre museum exhibition artist book library science research university students teachers climate weather rain snow heat drought harvest farmers wheat cotton grapes pomegranate tea tourism tourists hotel visitors police court judge law laws reform reforms tax taxes salary salaries pension jobs workers employment unemployment housing apartment rent transport bus buses metro traffic electricity solar wind grid network internet telecom mobile digital data security cyber technology startup startups investment investors fund loan loans credit currency dollar euro manat ruble demand supply production factory industry steel textile chemical pipeline corridor border customs agreement talks meeting summit delegation foreign ministry embassy ambassador neighbour neighbouring caspian sea coast river mountain village villages district capital residents community families children women youth sports wrestling chess athletics olympic medal record history heritage culture restoration mosque church palace old_town caravanserai carpet craft market_square evening morning night spring summer autumn winter northern southern eastern western central rural urban public private state authorities agency statement interview analysts experts survey study figures statistics average increase decrease rise fall record_high record_low";

const RU_WORDS: &str = "и в на с по для из от что как это правительство министр город регион компания рынок энергия нефть газ цены банк бюджет парламент выборы избиратели школа больница врачи здоровье вода дорога железная порт груз торговля экспорт импорт рост инфляция ставка процент миллион миллиард год месяц неделя сегодня вчера заявил сообщил по_данным отчёт новый местный национальный международный президент совет комитет проект план строительство мост аэропорт рейс футбол матч команда клуб тренер игрок гол сезон чемпионат фестиваль музыка фильм театр музей выставка художник книга наука университет студенты учителя климат погода дождь снег жара засуха урожай фермеры пшеница хлопок виноград туризм туристы гостиница полиция суд закон реформа налог зарплата пенсия работа работники жильё транспорт автобус метро электричество солнечная ветровая сеть интернет связь цифровой данные безопасность технологии стартап инвестиции кредит валюта доллар манат производство завод промышленность трубопровод коридор граница таможня соглашение переговоры встреча саммит делегация посольство каспийское море побережье река горы село район столица жители дети молодёжь спорт борьба шахматы медаль рекорд история наследие культура реставрация ковёр ремесло весна лето осень зима власти агентство заявление эксперты исследование статистика увеличение снижение выборов выборах";

const AZ_WORDS: &str = "və bu bir ilə üçün da də ki hökumət nazir şəhər bölgə şirkət bazar enerji neft qaz qiymət bank büdcə parlament seçki seçicilər məktəb xəstəxana həkim səhiyyə su yol dəmir liman yük ticarət ixrac idxal artım inflyasiya faiz milyon milyard il ay həftə bu_gün dünən bildirib açıqlayıb məlumat hesabat yeni yerli milli beynəlxalq prezident şura komitə layihə plan tikinti körpü hava_limanı reys futbol oyun komanda klub məşqçi oyunçu qol mövsüm çempionat festival musiqi film teatr muzey sərgi rəssam kitab elm universitet tələbələr müəllimlər iqlim hava yağış qar isti quraqlıq məhsul fermerlər buğda pambıq üzüm nar turizm turistlər otel polis məhkəmə qanun islahat vergi maaş pensiya iş işçilər mənzil nəqliyyat avtobus metro elektrik günəş külək şəbəkə internet rabitə rəqəmsal məlumatlar təhlükəsizlik texnologiya investisiya kredit valyuta dollar manat istehsal zavod sənaye boru_kəməri dəhliz sərhəd gömrük razılaşma danışıqlar görüş sammit nümayəndə səfirlik xəzər dəniz sahil çay dağ kənd rayon paytaxt sakinlər uşaqlar gənclər idman güləş şahmat medal rekord tarix irs mədəniyyət bərpa xalça sənət yaz yay payız qış Bakı Gəncə Şəki Lənkəran";

/// Syllables of each language's made-up long-tail words.
const EN_SYLLABLES: &[&str] = &[
    "ba", "ker", "lan", "dor", "mi", "sto", "ra", "vel", "tin", "co", "pe", "lu", "gar", "son",
    "ri", "ne", "tor", "al", "win", "ex", "mar", "pol", "den", "ca", "fi", "gro", "hal", "jus",
    "ko", "ment", "nor", "ost", "pra", "quin", "sel", "tu", "um", "vis", "wor", "zen",
];
const RU_SYLLABLES: &[&str] = &[
    "ба", "кор", "лан", "дов", "ми", "сто", "ра", "вел", "тин", "ко", "пе", "лу", "гар", "сон",
    "ри", "не", "тор", "ал", "вин", "екс", "мар", "пол", "ден", "ка", "фи", "гро", "хал", "жус",
    "ё", "мен", "нор", "ост", "пра", "квин", "сел", "ту", "ум", "вис", "вор", "зен",
];
const AZ_SYLLABLES: &[&str] = &[
    "ba", "kər", "lan", "dor", "mi", "stı", "ra", "vəl", "tin", "co", "pe", "lü", "gar", "son",
    "ri", "ne", "tör", "al", "vin", "əks", "mar", "pol", "dən", "ca", "fi", "qro", "hal", "cüs",
    "şə", "mən", "nor", "ost", "pra", "ğın", "səl", "tu", "um", "vis", "vor", "zən",
];

/// Distinct long-tail words per language.
const TAIL_WORDS: usize = 20_000;

struct Vocabulary {
    lang: &'static str,
    /// Function and everyday words, most frequent first.
    head: Vec<&'static str>,
    /// Made-up words with a Zipf-like frequency: names, places, topics. Most appear in few
    /// articles, as real vocabulary does, so search benchmarks see rare and common words.
    tail: Vec<String>,
}

impl Vocabulary {
    fn new(lang: &'static str, raw: &'static str, syllables: &[&str]) -> Self {
        let mut tail = Vec::with_capacity(TAIL_WORDS);
        let n = syllables.len();
        let mut i = 0usize;
        while tail.len() < TAIL_WORDS {
            // Mixed-radix counting over syllables gives distinct words of 2 to 4 syllables.
            let count = 2 + i % 3;
            let mut word = String::new();
            let mut k = i / 3 + 1;
            for _ in 0..count {
                word.push_str(syllables[k % n]);
                k /= n;
                k += i % 7;
            }
            tail.push(word);
            i += 1;
        }
        tail.sort();
        tail.dedup();
        Self {
            lang,
            head: raw.split_whitespace().collect(),
            tail,
        }
    }

    /// Half the time a head word (the first ones far more common), else a tail word whose
    /// rank is log-uniform: the word at rank r appears with probability about 1/r.
    fn word(&self, rng: &mut StdRng) -> String {
        let u: f64 = rng.random();
        if rng.random_bool(0.5) {
            let index = ((u * u * u) * self.head.len() as f64) as usize;
            self.head[index.min(self.head.len() - 1)].replace('_', " ")
        } else {
            let rank = (self.tail.len() as f64).powf(u) as usize;
            self.tail[rank.saturating_sub(1).min(self.tail.len() - 1)].clone()
        }
    }

    fn sentence(&self, rng: &mut StdRng, words: usize) -> String {
        let mut s: Vec<String> = (0..words).map(|_| self.word(rng)).collect();
        if let Some(first) = s.first_mut() {
            let mut chars = first.chars();
            if let Some(c) = chars.next() {
                *first = c.to_uppercase().chain(chars).collect();
            }
        }
        format!("{}.", s.join(" "))
    }

    /// About `words` words of Markdown in paragraphs of four to six sentences.
    fn body(&self, rng: &mut StdRng, words: usize) -> String {
        let mut paragraphs = Vec::new();
        let mut written = 0;
        while written < words {
            let sentences = rng.random_range(4..7);
            let mut paragraph = Vec::new();
            for _ in 0..sentences {
                let len = rng.random_range(8..20);
                written += len;
                paragraph.push(self.sentence(rng, len));
            }
            paragraphs.push(paragraph.join(" "));
        }
        paragraphs.join("\n\n")
    }
}

/// A generated article before its slug is chosen and it is linked.
struct Generated {
    article: NewArticle,
    authors: Vec<i64>,
    tags: Vec<i64>,
}

fn make(
    rng: &mut StdRng,
    vocabularies: &[Vocabulary; 3],
    tax: &Taxonomy,
    index: u64,
    now: NaiveDateTime,
) -> Generated {
    let vocabulary = match rng.random_range(0..100) {
        0..70 => &vocabularies[0],
        70..85 => &vocabularies[1],
        _ => &vocabularies[2],
    };
    let title_words = rng.random_range(6..12);
    let title = vocabulary.sentence(rng, title_words);
    let title = format!("{} {index}", title.trim_end_matches('.'));
    let lead_words = rng.random_range(15..25);
    let lead = vocabulary.sentence(rng, lead_words);
    let body_md = vocabulary.body(rng, 600);
    let (section_id, _) = tax.sections[rng.random_range(0..tax.sections.len())];
    let published_at = now - Duration::seconds(rng.random_range(60..365 * 24 * 3600));
    let draft = Draft {
        lang: vocabulary.lang,
        title,
        lead,
        body_md,
        section_id,
        status: Status::Published,
        published_at: Some(published_at),
        featured: rng.random_bool(0.05),
        views: rng.random_range(0..10_000),
        source: None,
        cover: None,
        translation_group: None,
    };
    let mut tags: Vec<i64> = (0..rng.random_range(1..4))
        .map(|_| tax.tags[rng.random_range(0..tax.tags.len())].0)
        .collect();
    tags.sort_unstable();
    tags.dedup();
    let authors = vec![tax.authors[rng.random_range(0..tax.authors.len())]];
    Generated {
        article: draft.into_new(String::new(), now),
        authors,
        tags,
    }
}

/// Generates and stores `n` articles. Returns a one-line report.
pub fn generate(db: &Db, n: u64, force: bool, now: NaiveDateTime) -> anyhow::Result<String> {
    let started = Instant::now();
    let mut conn = db.get().map_err(|e| anyhow::anyhow!("{e}"))?;
    prepare(&mut conn, force)?;
    let tax = conn.transaction::<_, diesel::result::Error, _>(|c| taxonomy::create(c, now))?;
    let indexes = drop_indexes(&mut conn)?;
    let loaded = load(&mut conn, &tax, n, now, started);
    // Rebuild the indexes whatever happened, so a failed load leaves a usable schema.
    let restored = restore_indexes(&mut conn, &indexes);
    let (stored, stored_after) = loaded?;
    restored?;
    conn.transaction::<_, diesel::result::Error, _>(|c| {
        crate::changes::queries::rebuild(c, now)?;
        site_queries::bump_content_version(c)
    })?;
    analyze(&mut conn)?;
    Ok(format!(
        "generated {stored} articles in {:.1} s (stored in {:.1} s; table indexes built in {:.1} s); \
         a server builds its search index from them at start, or run `newsdesk reindex`",
        started.elapsed().as_secs_f64(),
        stored_after.as_secs_f64(),
        (started.elapsed() - stored_after).as_secs_f64()
    ))
}

/// Generates and stores the articles: `(stored, time to store)`.
fn load(
    conn: &mut DbConnection,
    tax: &Taxonomy,
    n: u64,
    now: NaiveDateTime,
    started: Instant,
) -> anyhow::Result<(u64, std::time::Duration)> {
    let workers = std::thread::available_parallelism()
        .map_or(2, |p| p.get())
        .max(1) as u64;
    let (tx, rx) = mpsc::sync_channel::<Vec<Generated>>(workers as usize * 2);
    let stored = std::thread::scope(|scope| -> anyhow::Result<u64> {
        for worker in 0..workers {
            let tx = tx.clone();
            let tax = &tax;
            scope.spawn(move || {
                let vocabularies = [
                    Vocabulary::new("en", EN_WORDS, EN_SYLLABLES),
                    Vocabulary::new("ru", RU_WORDS, RU_SYLLABLES),
                    Vocabulary::new("az", AZ_WORDS, AZ_SYLLABLES),
                ];
                let mut rng = StdRng::seed_from_u64(0x6e65_7773 + worker);
                let mut batch = Vec::with_capacity(BATCH);
                let mut index = worker;
                while index < n {
                    batch.push(make(&mut rng, &vocabularies, tax, index, now));
                    if batch.len() == BATCH && tx.send(std::mem::take(&mut batch)).is_err() {
                        return;
                    }
                    index += workers;
                }
                if !batch.is_empty() {
                    let _ = tx.send(batch);
                }
            });
        }
        drop(tx);
        let mut taken = HashSet::new();
        let mut stored = 0u64;
        for batch in rx {
            stored += store(conn, batch, &mut taken)?;
        }
        Ok(stored)
    })?;
    let stored_after = started.elapsed();
    Ok((stored, stored_after))
}

fn store(
    conn: &mut DbConnection,
    batch: Vec<Generated>,
    taken: &mut HashSet<(String, String)>,
) -> anyhow::Result<u64> {
    let mut rows = Vec::with_capacity(batch.len());
    let mut links = Vec::with_capacity(batch.len());
    for mut g in batch {
        g.article.slug = unique_slug(taken, &g.article.lang, &g.article.title);
        let key = (g.article.lang.clone(), g.article.slug.clone());
        let feed_at = article_queries::feed_at(g.article.status, g.article.published_at);
        links.push((key, feed_at, g.authors, g.tags));
        rows.push(g.article);
    }
    conn.transaction::<_, anyhow::Error, _>(|c| {
        let stored = article_queries::insert_many(c, &rows)?;
        let ids: std::collections::HashMap<(String, String), i64> = stored
            .iter()
            .map(|(id, lang, slug)| ((lang.clone(), slug.clone()), *id))
            .collect();
        let mut resolved = Vec::with_capacity(links.len());
        for (key, feed_at, authors, tags) in links {
            let article_id = *ids
                .get(&key)
                .ok_or_else(|| anyhow::anyhow!("inserted article {key:?} not returned"))?;
            resolved.push(article_queries::Links {
                article_id,
                feed_at,
                authors,
                tags,
            });
        }
        article_queries::link_many(c, &resolved)?;
        Ok(())
    })?;
    Ok(rows.len() as u64)
}

/// Refreshes planner statistics after a bulk load so the feed indexes are chosen. On
/// PostgreSQL also vacuums: the rows a forced load replaced are dead until a vacuum, and until
/// then every index probe visits them, and index-only scans read the table too (a server whose
/// autovacuum is off would keep them for good).
fn analyze(conn: &mut DbConnection) -> anyhow::Result<()> {
    use diesel::connection::SimpleConnection;
    match conn {
        DbConnection::Sqlite(c) => c.batch_execute("ANALYZE")?,
        DbConnection::Pg(c) => c.batch_execute("VACUUM (ANALYZE)")?,
    }
    Ok(())
}
