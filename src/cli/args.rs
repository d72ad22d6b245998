//! The command line's arguments, subcommands and `--help` texts (clap).

use std::path::PathBuf;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Args, Parser, Subcommand};
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
