//! The sample article the app opens on first start: an original news report written for
//! Marginalia, with attributed quotations, factual claims, conditional statements, accented
//! names and one emoji.

/// The sample's file name (its document name in the library).
pub const SAMPLE_NAME: &str = "sample-article.txt";

/// The sample's text.
pub const SAMPLE_TEXT: &str = include_str!("../assets/sample-article.txt");
