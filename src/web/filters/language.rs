//! `language`: language identification with whatlang 0.18, kept or dropped as datatrove 0.10.1's
//! `LanguageFilter` decides with its scores.
//!
//! Every record gets two fields, dropped or not (datatrove writes them into the metadata before
//! deciding): `language`, an ISO 639-1 code like fastText lid.176's labels (`en`, `fr`, `zh`,
//! ...; `und` when whatlang finds no letters at all), and `language_score`, whatlang's confidence
//! in `0.0..=1.0` (`0.0` for `und`).
//!
//! Decision, as datatrove's: with `label_only` every record is kept; with a non-empty `languages`
//! list a record is kept when its language is listed and its score is strictly greater than
//! `language_threshold` (datatrove: `score > threshold`); with an empty list any language is kept
//! above the threshold (datatrove's `languages=None`). A dropped record gets the reason
//! `language` (datatrove's LanguageFilter drops without a reason string; this is the one reason
//! sftkit gives, with `{"language", "language_score"}` as detail).
//!
//! **Scores are not fastText's.** fastText (datatrove's backend) gives a softmax probability over
//! 176 languages. whatlang's confidence measures how far the best language's trigram score is
//! ahead of the runner-up, relative to the text length: it is 1.0 as soon as the lead is clear
//! (most documents of a few sentences or more, and every text in a script only one language
//! uses, e.g. Georgian or Korean), and falls towards 0 only for short or mixed texts. So the same
//! threshold is stricter than it looks on short snippets and looser on long, mixed-language
//! documents; whatlang also knows only 70 languages (no `ceb`, `war`, `sco`, ...), and a
//! configured language outside them is a configuration error.

use super::FilterError;
use crate::pipeline::stage::Stage;
use crate::record::{Record, Verdict};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use whatlang::Lang;

/// The code written when whatlang cannot name a language (ISO 639-2 "undetermined").
pub const UNDETERMINED: &str = "und";

/// Configuration of the `language` filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LanguageConfig {
    /// ISO 639-1 codes to keep. Default `["en"]` (sftkit's choice: datatrove's default is
    /// `None`, keep any language). An empty list keeps any language above the threshold.
    pub languages: Vec<String>,
    /// A record is kept only when its score is strictly above this. Default 0.65 (datatrove's
    /// `language_threshold`).
    pub language_threshold: f64,
    /// Only label records, never drop. Default false (datatrove's `label_only`).
    pub label_only: bool,
}

impl Default for LanguageConfig {
    fn default() -> Self {
        LanguageConfig { languages: vec!["en".to_string()], language_threshold: 0.65, label_only: false }
    }
}

/// The `language` stage.
pub struct LanguageFilter {
    languages: Vec<String>,
    threshold: f64,
    label_only: bool,
    text_field: String,
}

impl LanguageFilter {
    pub const NAME: &'static str = "language";

    /// Build the filter; errors on a language whatlang cannot detect or a non-finite threshold.
    pub fn new(config: LanguageConfig, text_field: &str) -> Result<Self, FilterError> {
        let invalid = |message: String| FilterError::Invalid { filter: Self::NAME.to_string(), message };
        if !config.language_threshold.is_finite() {
            return Err(invalid("language_threshold must be a finite number".to_string()));
        }
        for code in &config.languages {
            if !Lang::all().iter().any(|&l| iso639_1(l) == code) {
                let mut known: Vec<&str> = Lang::all().iter().map(|&l| iso639_1(l)).collect();
                known.sort_unstable();
                return Err(invalid(format!(
                    "language `{code}` is not one whatlang detects; known: {}",
                    known.join(", ")
                )));
            }
        }
        Ok(LanguageFilter {
            languages: config.languages,
            threshold: config.language_threshold,
            label_only: config.label_only,
            text_field: text_field.to_string(),
        })
    }
}

/// The language of `text` as (ISO 639-1 code, whatlang confidence), or (`und`, 0.0).
pub fn detect(text: &str) -> (&'static str, f64) {
    match whatlang::detect(text) {
        Some(info) => (iso639_1(info.lang()), info.confidence()),
        None => (UNDETERMINED, 0.0),
    }
}

impl Stage for LanguageFilter {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn process(&self, rec: &mut Record) -> Verdict {
        let Some(text) = rec.str_field(&self.text_field) else {
            return Verdict::error(format!("field `{}` is missing or not a string", self.text_field));
        };
        let (lang, score) = detect(text);
        rec.fields.insert("language".to_string(), Value::from(lang));
        rec.fields.insert("language_score".to_string(), json!(score));
        let listed = self.languages.is_empty() || self.languages.iter().any(|l| l == lang);
        if self.label_only || (listed && score > self.threshold) {
            Verdict::Keep
        } else {
            Verdict::Drop {
                reason: "language".to_string(),
                detail: Some(json!({"language": lang, "language_score": score})),
            }
        }
    }
}

/// The ISO 639-1 code (fastText lid.176's label) of a whatlang language; whatlang's Norwegian
/// Bokmål is `no` as in lid.176, and Persian `fa`.
pub fn iso639_1(lang: Lang) -> &'static str {
    match lang {
        Lang::Epo => "eo",
        Lang::Eng => "en",
        Lang::Rus => "ru",
        Lang::Cmn => "zh",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Ben => "bn",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Ukr => "uk",
        Lang::Kat => "ka",
        Lang::Ara => "ar",
        Lang::Hin => "hi",
        Lang::Jpn => "ja",
        Lang::Heb => "he",
        Lang::Yid => "yi",
        Lang::Pol => "pl",
        Lang::Amh => "am",
        Lang::Jav => "jv",
        Lang::Kor => "ko",
        Lang::Nob => "no",
        Lang::Dan => "da",
        Lang::Swe => "sv",
        Lang::Fin => "fi",
        Lang::Tur => "tr",
        Lang::Nld => "nl",
        Lang::Hun => "hu",
        Lang::Ces => "cs",
        Lang::Ell => "el",
        Lang::Bul => "bg",
        Lang::Bel => "be",
        Lang::Mar => "mr",
        Lang::Kan => "kn",
        Lang::Ron => "ro",
        Lang::Slv => "sl",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Mkd => "mk",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Tam => "ta",
        Lang::Vie => "vi",
        Lang::Urd => "ur",
        Lang::Tha => "th",
        Lang::Guj => "gu",
        Lang::Uzb => "uz",
        Lang::Pan => "pa",
        Lang::Aze => "az",
        Lang::Ind => "id",
        Lang::Tel => "te",
        Lang::Pes => "fa",
        Lang::Mal => "ml",
        Lang::Ori => "or",
        Lang::Mya => "my",
        Lang::Nep => "ne",
        Lang::Sin => "si",
        Lang::Khm => "km",
        Lang::Tuk => "tk",
        Lang::Aka => "ak",
        Lang::Zul => "zu",
        Lang::Sna => "sn",
        Lang::Afr => "af",
        Lang::Lat => "la",
        Lang::Slk => "sk",
        Lang::Cat => "ca",
        Lang::Tgl => "tl",
        Lang::Hye => "hy",
        Lang::Cym => "cy",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_two_letter() {
        let mut codes: Vec<&str> = Lang::all().iter().map(|&l| iso639_1(l)).collect();
        assert_eq!(codes.len(), 70);
        assert!(codes.iter().all(|c| c.len() == 2 && c.chars().all(|ch| ch.is_ascii_lowercase())));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 70);
    }

    #[test]
    fn unknown_language_is_rejected() {
        let config = LanguageConfig { languages: vec!["ceb".into()], ..LanguageConfig::default() };
        assert!(matches!(LanguageFilter::new(config, "text"), Err(FilterError::Invalid { .. })));
    }

    #[test]
    fn no_letters_is_undetermined() {
        assert_eq!(detect("1234 5678 !!!"), (UNDETERMINED, 0.0));
        assert_eq!(detect(""), (UNDETERMINED, 0.0));
    }
}
