//! `--model v2|v3|auto` of `create` and `update`: which contact model the input records are
//! in, so they go to `create`/`update` (v3) or `create-v2`/`update-v2` (v2).

use clap::{Args, ValueEnum};
use host_test::records::{Format, Model, detect_model};

use crate::exit::{Exit, Failure, OrExit};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ModelChoice {
    /// Decide from the records' keys
    Auto,
    /// The old v2 API's contact model (NDJSON only)
    V2,
    /// The connector's own JSON form, or CSV
    V3,
}

#[derive(Debug, Args)]
pub struct ModelArgs {
    /// The contact model of the records; auto: v2 when the first record that tells has a
    /// v2-only key such as `email_addresses` (for updates, in `changes`). A file holds one
    /// model
    #[arg(long, value_enum, value_name = "auto|v2|v3", default_value_t = ModelChoice::Auto)]
    pub model: ModelChoice,
}

impl ModelArgs {
    /// The model of `text`; `updates` says the records are `{target, changes}` lines. CSV is
    /// always v3 unless `--model v2` says otherwise (which its reader then refuses).
    pub fn choose(&self, text: &str, format: Format, updates: bool) -> Result<Model, Failure> {
        let model = match (self.model, format) {
            (ModelChoice::V2, _) => Model::V2,
            (ModelChoice::V3, _) | (ModelChoice::Auto, Format::Csv) => Model::V3,
            (ModelChoice::Auto, Format::Ndjson) => {
                detect_model(text, updates).or_exit(Exit::Usage)?
            }
        };
        Ok(model)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        model: ModelArgs,
    }

    fn parsed(args: &[&str]) -> ModelArgs {
        Cli::try_parse_from(std::iter::once("cli").chain(args.iter().copied()))
            .unwrap()
            .model
    }

    #[test]
    fn the_model_comes_from_the_flag_or_the_records() {
        let v2 = "{\"email_addresses\": [{\"email_address\": \"a@b.c\"}]}\n";
        let auto = parsed(&[]);
        assert_eq!(auto.model, ModelChoice::Auto);
        assert_eq!(auto.choose(v2, Format::Ndjson, false).unwrap(), Model::V2);
        assert_eq!(auto.choose(v2, Format::Csv, false).unwrap(), Model::V3);
        let forced = parsed(&["--model", "v3"]);
        assert_eq!(forced.choose(v2, Format::Ndjson, false).unwrap(), Model::V3);
        let forced = parsed(&["--model", "v2"]);
        assert_eq!(
            forced.choose("{}", Format::Ndjson, false).unwrap(),
            Model::V2
        );
        assert!(Cli::try_parse_from(["cli", "--model", "v1"]).is_err());

        let mixed = format!("{v2}{{\"email_address\": \"d@e.f\"}}\n");
        let refused = auto.choose(&mixed, Format::Ndjson, false).unwrap_err();
        assert_eq!(refused.exit, Exit::Usage);
        assert!(
            refused.error.to_string().contains("record 2"),
            "{}",
            refused.error
        );
    }
}
