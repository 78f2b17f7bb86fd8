//! The till's languages: French, Dutch and English (Brussels is bilingual). The strings live in
//! Fluent catalogues (`locales/<lang>/*.ftl`), embedded in the binary at build time, one
//! bundle per language so two can be rendered side by side (a future `fr+nl` ticket).
//!
//! Why `fluent-bundle` (with `unic-langid`) and not `fluent-templates`: it is Project Fluent's
//! own reference implementation, which `fluent-templates` itself wraps; the wrapper adds file
//! globbing, a macro loader and several dependencies we do not need for three files known at
//! compile time. Bundles are the thread-safe (`concurrent`) kind so every actor can share them.
//!
//! The runtime does not pass a language into its actors: they describe what they say as a
//! [`Text`] (a message id and its arguments), and the face-facing edge renders it with the
//! language of whoever is at the till. This module is domain-level: no FLTK, no actix.

use std::borrow::Cow;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

use crate::domain::Money;

/// One of the till's three languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    Nl,
    En,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language '{0}' (fr, nl or en)")]
pub struct LangError(pub String);

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Fr, Lang::Nl, Lang::En];

    /// `fr`, `nl` or `en` (any case, surrounding blanks ignored).
    pub fn parse(s: &str) -> Result<Lang, LangError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fr" => Ok(Lang::Fr),
            "nl" => Ok(Lang::Nl),
            "en" => Ok(Lang::En),
            _ => Err(LangError(s.to_owned())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// The language's catalogue files: the runtime's and the customer page's words
    /// (`kaching.ftl`), the touch screen's (`gui.ftl`), and the reports', the CLI's and
    /// `kaching doctor`'s (`reports.ftl`). One bundle holds all three.
    fn catalogues(self) -> [&'static str; 3] {
        match self {
            Lang::Fr => [
                include_str!("../locales/fr/kaching.ftl"),
                include_str!("../locales/fr/gui.ftl"),
                include_str!("../locales/fr/reports.ftl"),
            ],
            Lang::Nl => [
                include_str!("../locales/nl/kaching.ftl"),
                include_str!("../locales/nl/gui.ftl"),
                include_str!("../locales/nl/reports.ftl"),
            ],
            Lang::En => [
                include_str!("../locales/en/kaching.ftl"),
                include_str!("../locales/en/gui.ftl"),
                include_str!("../locales/en/reports.ftl"),
            ],
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Lang {
    type Err = LangError;
    fn from_str(s: &str) -> Result<Lang, LangError> {
        Lang::parse(s)
    }
}

/// A message argument: a string, a number (numbers choose plural forms) or an amount (written
/// the way of the language it is rendered in, see [`money`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Str(String),
    Num(i64),
    Money(Money),
    /// A text of its own, rendered in the same language (a problem inside a sentence).
    Text(Box<Text>),
}

impl From<Text> for Arg {
    fn from(t: Text) -> Arg {
        Arg::Text(Box::new(t))
    }
}

impl From<Money> for Arg {
    fn from(m: Money) -> Arg {
        Arg::Money(m)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Str(s.to_owned())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Str(s)
    }
}
impl From<i64> for Arg {
    fn from(n: i64) -> Arg {
        Arg::Num(n)
    }
}
impl From<u32> for Arg {
    fn from(n: u32) -> Arg {
        Arg::Num(i64::from(n))
    }
}

/// Something to say to a person, not yet in a language: a catalogue message with its
/// arguments, or a detail that has no translation (a ledger error's own text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    Msg {
        id: &'static str,
        args: Vec<(&'static str, Arg)>,
    },
    Raw(String),
}

impl Text {
    pub fn msg(id: &'static str) -> Text {
        Text::Msg { id, args: vec![] }
    }

    /// Adds an argument (builder style).
    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Text {
        if let Text::Msg { args, .. } = &mut self {
            args.push((name, value.into()));
        }
        self
    }

    pub fn render(&self, lang: Lang) -> String {
        match self {
            Text::Msg { id, args } => t(lang, id, args),
            Text::Raw(s) => s.clone(),
        }
    }
}

/// A detail said as it is, in no language (an error of the system, a program's own words).
impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::Raw(s)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::Raw(s.to_owned())
    }
}

static BUNDLES: LazyLock<[FluentBundle<FluentResource>; 3]> =
    LazyLock::new(|| Lang::ALL.map(bundle));

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let tag = match lang {
        Lang::Fr => "fr-BE",
        Lang::Nl => "nl-BE",
        Lang::En => "en-GB",
    };
    // These constant tags always parse (the plural test would see the root locale otherwise).
    let id: unic_langid::LanguageIdentifier = tag.parse().unwrap_or_default();
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // No Unicode isolation marks around arguments: the texts go to a JSON protocol, a
    // terminal and a thermal printer, none of which mixes writing directions.
    b.set_use_isolating(false);
    for text in lang.catalogues() {
        // A catalogue with a syntax error keeps its good messages (the test below fails on it).
        let res = match FluentResource::try_new(text.to_owned()) {
            Ok(r) => r,
            Err((r, _)) => r,
        };
        if let Err(errors) = b.add_resource(res) {
            tracing::error!(?errors, lang = lang.as_str(), "duplicate Fluent messages");
        }
    }
    b
}

/// Renders message `id` in `lang`. A message missing from a catalogue renders as its id (the
/// catalogue test makes that a test failure, never a crash at the till).
pub fn t(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    let bundle = &BUNDLES[lang as usize];
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        tracing::error!(id, lang = lang.as_str(), "missing Fluent message");
        return id.to_owned();
    };
    let mut fargs = FluentArgs::new();
    for (name, value) in args {
        let v = match value {
            Arg::Str(s) => FluentValue::String(Cow::Owned(s.clone())),
            Arg::Num(n) => FluentValue::from(*n),
            Arg::Money(m) => FluentValue::String(Cow::Owned(money(lang, *m))),
            Arg::Text(t) => FluentValue::String(Cow::Owned(t.render(lang))),
        };
        fargs.set(*name, v);
    }
    let mut errors = vec![];
    let out = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
    if !errors.is_empty() {
        tracing::error!(?errors, id, lang = lang.as_str(), "Fluent formatting");
    }
    out.into_owned()
}

impl Lang {
    /// The language a browser asks for (`Accept-Language: nl-BE,nl;q=0.9,en;q=0.8`), matched by
    /// Project Fluent's own negotiation (`fluent-langneg`); French when it names none of ours.
    pub fn from_accept_language(header: &str) -> Lang {
        use fluent_langneg::{NegotiationStrategy, accepted_languages, negotiate_languages};
        let requested = accepted_languages::parse(header);
        let available: Vec<unic_langid::LanguageIdentifier> = Lang::ALL
            .iter()
            .filter_map(|l| l.as_str().parse().ok())
            .collect();
        let default = available.first().cloned();
        negotiate_languages(
            &requested,
            &available,
            default.as_ref(),
            NegotiationStrategy::Lookup,
        )
        .first()
        .and_then(|id| Lang::parse(id.language.as_str()).ok())
        .unwrap_or_default()
    }
}

/// An amount as people read it: `18,70 €` in French and Dutch, `€18.70` in English.
pub fn money(lang: Lang, m: Money) -> String {
    match lang {
        Lang::Fr | Lang::Nl => m.to_string(),
        Lang::En => {
            let s = m.to_decimal_string();
            match s.strip_prefix('-') {
                Some(abs) => format!("-€{abs}"),
                None => format!("€{s}"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast;

    /// Every message id and the variables it uses, read from the catalogue's syntax tree.
    fn ids_and_args(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
        let mut out = BTreeMap::new();
        for (file, text) in lang.catalogues().into_iter().enumerate() {
            let res = fluent_syntax::parser::parse(text)
                .unwrap_or_else(|(_, e)| panic!("{lang} file {file}: syntax errors {e:?}"));
            for entry in res.body {
                if let ast::Entry::Message(m) = entry {
                    let mut vars = BTreeSet::new();
                    if let Some(p) = &m.value {
                        pattern_vars(p, &mut vars);
                    }
                    let id = m.id.name.to_owned();
                    assert!(
                        out.insert(id.clone(), vars).is_none(),
                        "{lang}: message {id} defined twice"
                    );
                }
            }
        }
        out
    }

    fn pattern_vars(p: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
        for el in &p.elements {
            if let ast::PatternElement::Placeable { expression } = el {
                expression_vars(expression, vars);
            }
        }
    }

    fn expression_vars(e: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
        match e {
            ast::Expression::Select { selector, variants } => {
                inline_vars(selector, vars);
                for v in variants {
                    pattern_vars(&v.value, vars);
                }
            }
            ast::Expression::Inline(i) => inline_vars(i, vars),
        }
    }

    fn inline_vars(i: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
        match i {
            ast::InlineExpression::VariableReference { id } => {
                vars.insert(id.name.to_owned());
            }
            ast::InlineExpression::Placeable { expression } => expression_vars(expression, vars),
            _ => {}
        }
    }

    #[test]
    fn every_message_exists_in_all_three_catalogues_with_the_same_arguments() {
        let fr = ids_and_args(Lang::Fr);
        assert!(fr.len() > 10, "the French catalogue is read: {fr:?}");
        for lang in [Lang::Nl, Lang::En] {
            assert_eq!(ids_and_args(lang), fr, "{lang} differs from fr");
        }
    }

    #[test]
    fn the_ids_the_code_uses_are_in_the_catalogues() {
        // A missing message renders as its id: it must never reach a person.
        for lang in Lang::ALL {
            let s = t(lang, "login-unknown-id", &[("id", "5".into())]);
            assert!(s.contains('5') && s != "login-unknown-id", "{lang}: {s}");
        }
    }

    #[test]
    fn a_browser_gets_the_language_it_asks_for_and_french_otherwise() {
        for (header, lang) in [
            ("nl-BE,nl;q=0.9,en;q=0.8", Lang::Nl),
            ("en-US,en;q=0.9", Lang::En),
            ("fr-BE", Lang::Fr),
            ("de-DE,nl;q=0.5", Lang::Nl),
            ("de-DE", Lang::Fr),
            ("", Lang::Fr),
            ("garbage;;q=x", Lang::Fr),
        ] {
            assert_eq!(Lang::from_accept_language(header), lang, "{header:?}");
        }
    }

    #[test]
    fn plurals_follow_the_language() {
        let tickets = |lang, n: i64| t(lang, "report-tickets", &[("count", n.into())]);
        assert_eq!(tickets(Lang::En, 1), "1 ticket");
        assert_eq!(tickets(Lang::En, 2), "2 tickets");
        assert_eq!(tickets(Lang::Fr, 1), "1 ticket");
        assert_eq!(tickets(Lang::Fr, 0), "0 ticket");
        assert_eq!(tickets(Lang::Fr, 3), "3 tickets");
        assert_eq!(tickets(Lang::Nl, 1), "1 kasticket");
        assert_eq!(tickets(Lang::Nl, 4), "4 kastickets");
    }

    #[test]
    fn amounts_are_written_the_local_way() {
        let m = Money::from_cents(1870);
        assert_eq!(money(Lang::Fr, m), "18,70 €");
        assert_eq!(money(Lang::Nl, m), "18,70 €");
        assert_eq!(money(Lang::En, m), "€18.70");
        assert_eq!(money(Lang::En, Money::from_cents(-5)), "-€0.05");
        let low = Text::msg("pay-tender-too-low")
            .arg("tendered", Money::from_cents(1000))
            .arg("total", m);
        assert!(low.render(Lang::Nl).contains("10,00 €"), "{low:?}");
        assert!(low.render(Lang::En).contains("€18.70"), "{low:?}");
    }

    #[test]
    fn a_text_inside_a_message_is_said_in_the_same_language() {
        let problem = Text::msg("report-chain-no-head");
        let said = |lang| {
            t(
                lang,
                "report-chain-problem",
                &[
                    ("till", "till-1".into()),
                    ("ticket", 3i64.into()),
                    ("problem", problem.clone().into()),
                ],
            )
        };
        assert_eq!(
            said(Lang::Nl),
            "till-1 kasticket 3: geen kop van de keten voor deze kassa"
        );
        assert_eq!(
            said(Lang::En),
            "till-1 ticket 3: no chain head for this till"
        );
        assert_eq!(
            said(Lang::Fr),
            "till-1 ticket 3 : pas de tête de chaîne pour cette caisse"
        );
    }

    #[test]
    fn languages_parse_and_print() {
        for l in Lang::ALL {
            assert_eq!(Lang::parse(l.as_str()), Ok(l));
        }
        assert_eq!(Lang::parse(" NL "), Ok(Lang::Nl));
        assert!(Lang::parse("de").is_err());
    }
}
