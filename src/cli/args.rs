//! The command line's arguments, subcommands and `--help` texts (clap).

use std::path::PathBuf;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use marginalia::agree::MergeStrategy;
use marginalia::format::ExportFormat;

/// Converts, checks, re-anchors and counts span annotations, on the same core as the
/// Marginalia app. Offsets are Unicode code points, end exclusive, in every format.
#[derive(Debug, Parser)]
#[command(
    name = "marginalia",
    version,
    after_help = "Exit status: 0 done, 1 the input is not valid (each problem on standard error), \
                  2 the command could not be run as given (usage, a file that cannot be read or \
                  written).\n\nRun `marginalia COMMAND --help` for a command's options and examples."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert an annotation file (its format recognised from the content) to another format
    #[command(after_help = CONVERT_EXAMPLES)]
    Convert(ConvertArgs),
    /// Check an annotation file and list every problem in it
    #[command(after_help = VALIDATE_EXAMPLES)]
    Validate(ValidateArgs),
    /// Place a file's annotations on a new version of its text
    #[command(after_help = REANCHOR_EXAMPLES)]
    Reanchor(ReanchorArgs),
    /// Count documents, annotations per label and relations per type
    #[command(after_help = STATS_EXAMPLES)]
    Stats(StatsArgs),
    /// Print the Label Studio labeling config (XML) for a file's labels
    #[command(after_help = LABELING_CONFIG_EXAMPLES)]
    LabelingConfig(LabelingConfigArgs),
    /// Measure how far several annotators' files of one document agree
    #[command(after_help = AGREE_EXAMPLES)]
    Agree(AgreeArgs),
    /// Merge several annotators' files of one document into one marginalia file
    #[command(after_help = MERGE_EXAMPLES)]
    Merge(MergeArgs),
}

const CONVERT_EXAMPLES: &str = "\
Several documents in give several out: a JSON-lines corpus (spaCy, doccano) gives one line, one \
-DOCSTART- block or one zip entry per document. JSON lines to JSON lines or CoNLL are converted a \
line at a time, in the memory of one document. Zips (brat; marginalia and w3c of several \
documents) need -o.

Examples:
  marginalia convert corpus.doccano.jsonl --to spacy -o corpus.spacy.jsonl
  marginalia convert article.marginalia.json --to conll
  marginalia convert article.ann --text article.txt --to marginalia -o article.marginalia.json
  marginalia convert corpus.spacy.jsonl --to brat -o corpus.brat.zip
  marginalia convert corpus.brat.zip --to label-studio -o corpus.label-studio.json
  cat corpus.doccano.jsonl | marginalia convert - --to spacy > corpus.spacy.jsonl";

const VALIDATE_EXAMPLES: &str = "\
Prints one line per problem on standard error, FILE:LINE: message for line formats (JSON lines, \
brat, CoNLL; FILE:LINE: $.path: message inside a JSON line) and FILE: $.path: message for JSON, \
and exits 1; prints nothing and exits 0 when the file is valid.

Examples:
  marginalia validate corpus.doccano.jsonl
  marginalia validate article.ann --text article.txt
  marginalia validate article.marginalia.json --labels claim,quote,condition";

const REANCHOR_EXAMPLES: &str = "\
Each annotation is placed by its recorded position if its quote is still there, else by its quote \
and the text around it, else by an approximate match; one without enough evidence is kept as an \
orphan. Prints `placed N, re-anchored N, orphaned N` on standard error and writes a marginalia \
file (orphans included) on the new text.

Examples:
  marginalia reanchor article.marginalia.json --onto article-v2.txt -o article-v2.marginalia.json
  marginalia reanchor article.w3c.jsonld --onto article-v2.txt > article-v2.marginalia.json";

const STATS_EXAMPLES: &str = "\
Prints one NAME<TAB>COUNT line each: `documents`, `annotations`, `orphans`, then `label:TAG` per \
label and `relation:TYPE` per relation type (none yet: relations are not in the model).

Examples:
  marginalia stats corpus.spacy.jsonl
  marginalia stats corpus.brat.zip --json
  marginalia stats article.ann --text article.txt";

const LABELING_CONFIG_EXAMPLES: &str = "\
Paste the XML into a Label Studio project (Settings, Labeling Interface, Code) before importing a \
label-studio file: its <Labels> are the file's labels (the default ones without a file) and every \
tag its annotations use, its <TextArea> per region holds notes.

Examples:
  marginalia labeling-config
  marginalia labeling-config article.marginalia.json -o config.xml
  marginalia labeling-config corpus.doccano.jsonl";

const AGREE_EXAMPLES: &str = "\
Units are the document's words (Unicode word segments, UAX #29, with a letter or digit); each \
annotator gives each unit the label of the outermost of their spans covering it, or O. Per pair \
of annotators: Cohen's kappa over the units, span F1 exact (same start, end and label) and span \
F1 overlap (same label and overlapping, matched one to one); over all: Fleiss' kappa (three \
annotators or more) and Krippendorff's alpha (nominal); then the pairs' figures per label (a unit \
is L when an L span covers it). --json adds the units and every annotator's labels, so the \
figures can be checked.

Annotators are named by their file's annotator (marginalia \"annotator\", W3C creator, Label \
Studio completed_by), else by the file name without its extensions. The files must be for one \
text: each file's own text (or the SHA-256 a W3C file names) must be --text's, else that of the \
first file that carries one; a file for another text exits 1.

Examples:
  marginalia agree ann.marginalia.json bob.marginalia.json cy.marginalia.json
  marginalia agree ann.w3c.jsonld bob.label-studio.json --text article.txt
  marginalia agree ann.spacy.jsonl bob.spacy.jsonl --json > agreement.json";

const MERGE_EXAMPLES: &str = "\
Spans are compared exactly, extent and label: majority keeps those more than half the \
annotators have (2 of 3, 3 of 4), union those any has (the same extent with two labels is two \
spans), intersection those all have. Each merged annotation's note names the annotators who had \
it (`annotators: ann, bob`). Annotators and texts are read as for `agree`.

Examples:
  marginalia merge ann.marginalia.json bob.marginalia.json cy.marginalia.json --strategy majority -o gold.marginalia.json
  marginalia merge ann.w3c.jsonld bob.w3c.jsonld --text article.txt --strategy union -o all.marginalia.json";

/// `convert`'s arguments.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The annotation file (`-` for standard input)
    pub input: PathBuf,
    /// The format to write
    #[arg(long, value_name = "FORMAT", value_parser = FormatParser)]
    pub to: FormatArg,
    /// The document text, for files that do not carry it (W3C, a bare brat .ann, CoNLL); with
    /// it, the file's annotations are imported onto this text as the app's Import… does
    #[arg(long, value_name = "TEXT")]
    pub text: Option<PathBuf>,
    /// Where to write (standard output if not given)
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

/// `validate`'s arguments.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The annotation file (`-` for standard input)
    pub input: PathBuf,
    /// The document text the offsets refer to, for files that do not carry it
    #[arg(long, value_name = "TEXT")]
    pub text: Option<PathBuf>,
    /// The labels allowed, by id (any ASCII case), comma-separated; any label when not given
    #[arg(long, value_name = "LABELS", value_delimiter = ',')]
    pub labels: Vec<String>,
}

/// `reanchor`'s arguments.
#[derive(Debug, Args)]
pub struct ReanchorArgs {
    /// The annotation file (any format; `-` for standard input)
    pub input: PathBuf,
    /// The new version of the text
    #[arg(long, value_name = "NEW_TEXT")]
    pub onto: PathBuf,
    /// Where to write the marginalia file (standard output if not given)
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

/// `stats`' arguments.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The annotation file (`-` for standard input)
    pub input: PathBuf,
    /// The document text, for files that do not carry it (W3C, a bare brat .ann, CoNLL)
    #[arg(long, value_name = "TEXT")]
    pub text: Option<PathBuf>,
    /// Print one JSON object instead of lines
    #[arg(long)]
    pub json: bool,
}

/// `labeling-config`'s arguments.
#[derive(Debug, Args)]
pub struct LabelingConfigArgs {
    /// An annotation file whose labels and tags to include (`-` for standard input)
    pub input: Option<PathBuf>,
    /// The document text, for files that do not carry it (W3C, a bare brat .ann, CoNLL)
    #[arg(long, value_name = "TEXT")]
    pub text: Option<PathBuf>,
    /// Where to write the XML (standard output if not given)
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

/// The annotators' files `agree` and `merge` compare.
#[derive(Debug, Args)]
pub struct AnnotatorFiles {
    /// The annotation files, one per annotator, any format (`-` for standard input, once)
    #[arg(required = true, num_args = 2.., value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The document text, for files that do not carry it (W3C, a bare brat .ann, CoNLL); every
    /// file must be for this text
    #[arg(long, value_name = "TEXT")]
    pub text: Option<PathBuf>,
}

/// `agree`'s arguments.
#[derive(Debug, Args)]
pub struct AgreeArgs {
    /// The files and their text.
    #[command(flatten)]
    pub files: AnnotatorFiles,
    /// Print one JSON object (figures, units and each annotator's labels) instead of a table
    #[arg(long)]
    pub json: bool,
}

/// `merge`'s arguments.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The files and their text.
    #[command(flatten)]
    pub files: AnnotatorFiles,
    /// Which spans to keep
    #[arg(long, value_enum)]
    pub strategy: StrategyArg,
    /// Where to write the marginalia file
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
}

/// A merge strategy given on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StrategyArg {
    /// Spans more than half the annotators have
    Majority,
    /// Spans any annotator has
    Union,
    /// Spans every annotator has
    Intersection,
}

impl From<StrategyArg> for MergeStrategy {
    fn from(strategy: StrategyArg) -> Self {
        match strategy {
            StrategyArg::Majority => MergeStrategy::Majority,
            StrategyArg::Union => MergeStrategy::Union,
            StrategyArg::Intersection => MergeStrategy::Intersection,
        }
    }
}

/// An export format given on the command line.
#[derive(Debug, Clone, Copy)]
pub struct FormatArg(pub ExportFormat);

/// Reads an `export-format` value; `--help` lists every format the core writes.
#[derive(Debug, Clone, Copy)]
struct FormatParser;

impl TypedValueParser for FormatParser {
    type Value = FormatArg;

    fn parse_ref(
        &self,
        command: &clap::Command,
        argument: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<FormatArg, clap::Error> {
        let values: Vec<PossibleValue> = self.possible_values().into_iter().flatten().collect();
        clap::builder::PossibleValuesParser::new(values)
            .parse_ref(command, argument, value)
            .map(|value| {
                FormatArg(ExportFormat::from_value(&value).expect("one of the possible values"))
            })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(ExportFormat::ALL.into_iter().map(|format| {
            PossibleValue::new(format.value()).help(format.label())
        })))
    }
}
