use std::rc::Rc;

use yew::prelude::*;

use super::use_labels;
use crate::agree::{AgreementFigures, DisagreementKind, PairAgreement, PairMeans};
use crate::model::Document;
use crate::ui::label_class;
use crate::workspace::Comparison;

/// Props of [`AgreementPanel`].
#[derive(Properties, PartialEq)]
pub struct AgreementPanelProps {
    /// The comparison shown.
    pub comparison: Rc<Comparison>,
    /// For each disagreement, whether the gold annotations settle it.
    pub resolved: Rc<Vec<bool>>,
    /// True when the current document is the comparison's gold one.
    pub in_gold: bool,
    /// The document (for the disagreements' quotes).
    pub document: Rc<Document>,
    /// Accept agreed.
    pub on_accept_agreed: Callback<()>,
    /// Take layer N's version of the current disagreement.
    pub on_accept_version: Callback<usize>,
    /// Reject the current disagreement.
    pub on_reject: Callback<()>,
    /// Move to the next (`true`) or previous disagreement.
    pub on_walk: Callback<bool>,
    /// Leave compare mode.
    pub on_close: Callback<()>,
}

/// A figure as the panel's data attributes carry it: six decimals.
fn figure(value: f64) -> String {
    format!("{value:.6}")
}

/// A figure as a table shows it.
fn shown(value: f64) -> String {
    format!("{value:.3}")
}

/// The pairwise rows of a table; with a relations column when `relations` (some layer has
/// relations: per label, the cell is blank).
fn pair_rows(pairs: &[PairAgreement], relations: bool) -> Html {
    pairs
        .iter()
        .map(|pair| {
            html! {
                <tr>
                    <th scope="row">{ format!("{} · {}", pair.a, pair.b) }</th>
                    <td>{ shown(pair.kappa) }</td>
                    <td>{ shown(pair.f1_exact) }</td>
                    <td>{ shown(pair.f1_overlap) }</td>
                    if relations {
                        <td>{ pair.relations_f1.map(shown).unwrap_or_default() }</td>
                    }
                </tr>
            }
        })
        .collect()
}

/// The comparison of annotators' layers: agreement figures (root `agreement` with
/// `data-kappa`, `data-alpha`, `data-f1-exact`, `data-f1-overlap`, `data-annotators`), tables
/// per pair and per label, adjudication progress, and the current disagreement with each
/// layer's version to accept (or reject all).
#[component]
pub fn AgreementPanel(props: &AgreementPanelProps) -> Html {
    let labels = use_labels();
    let comparison = &props.comparison;
    let resolved = props.resolved.iter().filter(|r| **r).count();
    let total = comparison.disagreements.len();
    let report = comparison.report.as_ref();
    let data = |f: &dyn Fn(&AgreementFigures) -> f64| report.map(|r| figure(f(r)));
    let layers = comparison.layers.iter().enumerate().map(|(index, layer)| {
        html! {
            <li class="layer" data-testid="layer" data-annotator={layer.annotator.clone()}>
                <span class={classes!("lane-swatch", format!("lane-{}", index % 4))} aria-hidden="true"></span>
                { format!("{} ({})", layer.annotator, layer.annotations.len()) }
            </li>
        }
    });
    let current = comparison
        .current
        .and_then(|i| comparison.disagreements.get(i).map(|d| (i, d)));
    let current_view = current.map(|(index, disagreement)| {
        let kind = match disagreement.kind {
            DisagreementKind::OnlySome => "Only some have it",
            DisagreementKind::OtherLabel => "Same extent, another label",
            DisagreementKind::OverlappingExtents => "Overlapping extents",
        };
        let versions = comparison.layers.iter().zip(&disagreement.by_layer).enumerate().map(|(layer, (who, spans))| {
            let on_accept = props.on_accept_version.reform(move |_: MouseEvent| layer);
            let items = spans.iter().map(|span| {
                let quote = props.document.slice(span.span).unwrap_or_default().to_owned();
                html! {
                    <li class={classes!("version-span", label_class(&labels, &span.tag))}>
                        <span class="tag-badge"><span class="swatch" aria-hidden="true"></span>{ labels.name_of(&span.tag) }</span>
                        { " " }<q>{ quote }</q>
                    </li>
                }
            });
            html! {
                <li class="version" data-testid="version" data-annotator={who.annotator.clone()}>
                    <div class="version-head">
                        <strong>{ who.annotator.clone() }</strong>
                        <button type="button" data-testid="accept-version" onclick={on_accept} disabled={!props.in_gold}
                                title={format!("Take {}'s version into the gold layer ({})", who.annotator, layer + 1)}>
                            { format!("Accept ({})", layer + 1) }
                        </button>
                    </div>
                    if spans.is_empty() {
                        <p class="hint">{ "Nothing here." }</p>
                    } else {
                        <ul class="version-spans">{ for items }</ul>
                    }
                </li>
            }
        });
        let rejected = comparison.rejected.contains(&index);
        html! {
            <div class="disagreement" data-testid="disagreement" data-index={index.to_string()}
                 data-start={disagreement.span.start.to_string()} data-end={disagreement.span.end.to_string()}
                 data-resolved={props.resolved.get(index).copied().unwrap_or(false).to_string()}>
                <p class="disagreement-kind">{ format!("{} of {total} · {kind}", index + 1) }</p>
                <ul class="versions">{ for versions }</ul>
                <button type="button" data-testid="reject-disagreement" disabled={!props.in_gold}
                        aria-pressed={rejected.to_string()} onclick={props.on_reject.reform(|_: MouseEvent| ())}
                        title="Take none of these versions (x)">{ if rejected { "Rejected (x undoes)" } else { "Reject all (x)" } }</button>
            </div>
        }
    });
    let relations = report.is_some_and(|r| r.pairs.iter().any(|p| p.relations_f1.is_some()));
    let per_label = report.map(|r| {
        r.per_label.iter().map(|(label, agreement)| html! {
            <>
                <tr class="label-head"><th colspan="5" scope="rowgroup">{ labels.name_of(&crate::model::Tag::from(label.as_str())) }</th></tr>
                { pair_rows(&agreement.pairs, relations) }
            </>
        }).collect::<Html>()
    });
    html! {
        <section class="panel agreement" data-testid="agreement" aria-label="Agreement between annotators"
                 data-annotators={comparison.layers.len().to_string()}
                 data-kappa={data(&|r| r.mean_kappa())} data-alpha={data(&|r| r.krippendorff_alpha)}
                 data-f1-exact={data(&|r| r.mean_f1_exact())} data-f1-overlap={data(&|r| r.mean_f1_overlap())}
                 data-resolved={resolved.to_string()} data-total={total.to_string()}>
            <div class="panel-head">
                <h2>{ "Agreement" }</h2>
                <button type="button" data-testid="close-comparison" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button>
            </div>
            <ul class="layers">{ for layers }</ul>
            if let Some(report) = report {
                <dl class="agreement-summary">
                    <dt>{ "Mean Cohen's κ" }</dt><dd>{ shown(report.mean_kappa()) }</dd>
                    if let Some(fleiss) = report.fleiss_kappa {
                        <dt>{ "Fleiss' κ" }</dt><dd>{ shown(fleiss) }</dd>
                    }
                    <dt>{ "Krippendorff's α" }</dt><dd>{ shown(report.krippendorff_alpha) }</dd>
                    <dt>{ "Units (words)" }</dt><dd>{ report.units }</dd>
                </dl>
                <table class="agreement-table">
                    <thead><tr><th scope="col">{ "Pair" }</th><th scope="col">{ "κ" }</th><th scope="col">{ "F1 exact" }</th><th scope="col">{ "F1 overlap" }</th>
                        if relations { <th scope="col">{ "Relations F1" }</th> }</tr></thead>
                    <tbody>
                        { pair_rows(&report.pairs, relations) }
                        { for per_label }
                    </tbody>
                </table>
            } else {
                <p class="hint">{ "Open two files or more to measure agreement." }</p>
            }
            <div class="adjudication">
                <p class="progress" data-testid="adjudication-progress">{ format!("Resolved {resolved} / {total}") }</p>
                <button type="button" class="primary" data-testid="accept-agreed" onclick={props.on_accept_agreed.reform(|_: MouseEvent| ())}
                        title={format!("Add the {} spans every layer shares to {}", comparison.agreed.len(), comparison.gold_name())}>
                    { format!("Accept agreed ({})", comparison.agreed.len()) }
                </button>
                <div class="walk" role="group" aria-label="Disagreements">
                    <button type="button" data-testid="previous-disagreement" onclick={props.on_walk.reform(|_: MouseEvent| false)} disabled={total == 0}>{ "‹ p" }</button>
                    <button type="button" data-testid="next-disagreement" onclick={props.on_walk.reform(|_: MouseEvent| true)} disabled={total == 0}>{ "n ›" }</button>
                </div>
                if !props.in_gold {
                    <p class="hint">{ format!("Accept agreed opens {}; then take each disagreement's version with 1–9, or x to reject.", comparison.gold_name()) }</p>
                }
                { for current_view }
            </div>
        </section>
    }
}
