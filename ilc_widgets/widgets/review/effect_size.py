"""Workbook 05's effect-size calculator: pre/post effect size with its 95% confidence
interval, n and the 0.40 hinge point, from stored, typed or summarised scores."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import ipywidgets as W
import traitlets as T

from ...stats import (
    EFFECT_SIZE_METHOD,
    EffectSize,
    effect_size,
    effect_size_from_summary,
    parse_scores,
)
from .._kit.controls import send_when_left
from .._kit.notice import guarded
from .cards import details, effect_chart_html, effect_html, paragraphs
from .data import PENDING_CHART, effect_chart, no_chart
from .section import ReviewSection, button, dropdown, html, lay, text_input, toggles
from .state import (
    MODES,
    SUMMARY_FIELDS,
    assessment_options,
    friendly,
    stored_groups,
    summary_values,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ...session import SessionContext

__all__ = ["EffectSizeCalculator"]

RAW_HELP: Final = (
    "One score per student; leave a gap or write NA for a missing score (it is left out and "
    "counted). Use a point for decimals (12.5). Use anonymous scores only: no names."
)
"""The help above the typed or pasted scores."""

SUMMARY_HELP: Final = (
    "From a report: each group's mean, its sample standard deviation (STDEV in a "
    "spreadsheet) and how many people it covers."
)
"""The help above the summary statistics."""


class EffectSizeCalculator(ReviewSection):
    """Pre/post effect size with its 95% confidence interval, n and the 0.40 hinge point.

    Scores come from the collective's stored assessments, from scores typed or pasted in,
    or from summary statistics (means, SDs, ns). Typed scores can be saved to the
    collective. Bad input gives a clear message, never a traceback.
    """

    value = T.Dict(help="The effect size shown (EffectSize.to_dict() and its source); {} if none")
    css_class = "ilc-rv-effect"

    def __init__(self, ctx: SessionContext, **kwargs: Any) -> None:
        self.groups: dict[str, tuple[list[float], list[float]]] = {}
        self.raw_panel: W.Widget | None = None
        self.summary_panel: W.Widget | None = None
        self.summary_inputs: dict[str, Any] = {}
        self.result: EffectSize | None = None
        super().__init__(ctx, **kwargs)

    def build(self) -> W.Widget:
        """The mode switch, the stored-assessment picker; other panels come when chosen."""
        self.mode = toggles(MODES, "stored", "ilc-rv-es-mode", width="13em")
        self.mode.observe(self._on_mode, "value")
        self.assessment = dropdown(
            [], None, "ilc-rv-es-assessment", label="Assessment", width="40em"
        )
        self.assessment.observe(self._on_assessment, "value")
        self.stored_note = html(cls="ilc-rv-es-stored-note")
        self.stored_panel = W.VBox([self.assessment, self.stored_note], layout=lay(width="100%"))
        self.panel = W.VBox([self.stored_panel], layout=lay(width="100%"))
        self.output = html(cls="ilc-rv-es-result", width="100%")
        self.method = html(
            "<div class='ilc'>"
            + details("How it is computed", paragraphs(EFFECT_SIZE_METHOD))
            + "</div>"
        )
        return W.VBox([self.mode, self.panel, self.output, self.method], layout=lay(width="100%"))

    # -- panels
    def _panel(
        self, cls: str, help_text: str, rows: Sequence[W.Widget], after: Sequence[W.Widget] = ()
    ) -> tuple[W.Button, W.Widget]:
        """An input panel: its help, its fields, a Compute button (class ``cls``) and what
        comes after it."""
        compute = button("Compute effect size", cls, kind="primary")
        compute.on_click(lambda _b: self.compute())
        note = html(f"<div class='ilc-rv-help'>{help_text}</div>")
        return compute, W.VBox([note, *rows, compute, *after], layout=lay(width="100%"))

    def _build_raw(self) -> W.Widget:
        self.pre_text = text_input(
            "Pre scores, e.g. 12, 15, 9, 20 (commas, spaces or new lines)",
            "ilc-rv-es-pre",
            label="Pre",
            rows=5,
        )
        self.post_text = text_input(
            "Post scores, e.g. 14, 18, 11, 25", "ilc-rv-es-post", label="Post", rows=5
        )
        self.save_name = text_input(
            "Name of the assessment, e.g. Unit 3 common assessment",
            "ilc-rv-es-name",
            label="Assessment",
            width="32em",
        )
        for typed in (self.pre_text, self.post_text, self.save_name):
            send_when_left(typed)  # "Compute" and "Save" never overtake the last scores typed
        self.save_button = button("Save these scores to the collective", "ilc-rv-es-save")
        self.save_button.on_click(lambda _b: self.save_scores())
        row = W.HBox([self.save_name, self.save_button], layout=lay(width="100%"))
        self.compute_raw, panel = self._panel(
            "ilc-rv-es-compute", RAW_HELP, [self.pre_text, self.post_text], [row]
        )
        return panel

    def _build_summary(self) -> W.Widget:
        rows = []
        for phase in ("pre", "post"):
            title = "Before (pre)" if phase == "pre" else "After (post)"
            cells: list[W.Widget] = [html(f"<div class='ilc-rv-label'>{title}</div>", width="8em")]
            for key, label, which in SUMMARY_FIELDS:
                if which != phase:
                    continue
                box = text_input(
                    label, f"ilc-rv-es-{key.replace('_', '-')}", label=label, width="12em"
                )
                self.summary_inputs[key] = send_when_left(box)
                cells.append(box)
            rows.append(W.HBox(cells, layout=lay(width="100%")))
        self.compute_summary, panel = self._panel("ilc-rv-es-compute-summary", SUMMARY_HELP, rows)
        return panel

    def _on_mode(self, change: Mapping[str, Any]) -> None:
        mode = change["new"]
        if mode == "raw":
            if self.raw_panel is None:
                self.raw_panel = self._build_raw()
            self.panel.children = (self.raw_panel,)
        elif mode == "summary":
            if self.summary_panel is None:
                self.summary_panel = self._build_summary()
            self.panel.children = (self.summary_panel,)
        else:
            self.panel.children = (self.stored_panel,)
        self._clear_result()
        if mode == "stored" and self.viewed:
            self.compute()

    def _on_assessment(self, change: Mapping[str, Any]) -> None:
        if self.mode.value == "stored" and self.viewed and change["new"]:
            self.compute()

    def _clear_result(self) -> None:
        self.output.value = ""
        self.notice.clear()
        self.result = None
        self.value = {}

    # -- data
    def switched(self) -> None:
        """A new collective: forget the result."""
        self._clear_result()
        self.groups = {}

    def refresh(self) -> None:
        """Read the collective's stored assessments (the choice is kept when still there)."""
        scores = self.net.scores_frame(self.collective)
        groups = stored_groups(scores)
        changed = groups != self.groups
        self.groups = groups
        options = assessment_options(groups)
        current = self.assessment.value
        if list(self.assessment.options) != options:
            self.assessment.options = options
            self.assessment.value = (
                current if current in groups else (options[0][1] if options else None)
            )
        if groups:
            self.assessment.layout = lay(width="40em")
            self.stored_note.value = (
                "<div class='ilc-rv-help'>Pre and post scores saved for this collective "
                "(anonymous student references only).</div>"
            )
        else:
            self.assessment.layout = lay(display="none")
            self.stored_note.value = (
                "<div class='ilc'><p>No pre and post scores are stored for this collective "
                "yet. Choose <b>Type or paste scores</b> or <b>Means, SDs and ns</b> above; "
                "typed scores can be saved here for next time.</p></div>"
            )
            if self.mode.value == "stored" and not self.viewed:
                self.mode.value = "raw"
        if changed and self.viewed and self.mode.value == "stored":
            self.compute()

    def after_view(self) -> None:
        """Compute the stored assessment's effect size once the page shows."""
        if self.mode.value == "stored":
            self.compute()

    # -- computing
    @guarded("Computing the effect size")
    def compute(self) -> EffectSize | None:
        """Compute and show the effect size of the current input (None, with a message,
        when the input cannot give one)."""
        self.notice.clear()
        try:
            es, source = self._effect_size()
        except ValueError as exc:
            self._clear_result()
            wrong = self._raw_field_at_fault()
            if wrong is None:
                self.notice.show(friendly(str(exc)), "error")
            else:
                self.field_error(wrong, friendly(str(exc)))
            return None
        if es is None:
            self._clear_result()
            return None
        self.result = es
        self.value = {**es.to_dict(), "source": source}
        self._show(es, source)
        return es

    def _show(self, es: EffectSize, source: str) -> None:
        """Show the result with its chart; while another kernel draws that chart, with a
        note, asking again shortly."""
        if self.result is not es:
            return  # a newer result replaced it
        try:
            svg = effect_chart(es, retry=lambda: self._show(es, source))
            chart = PENDING_CHART if svg is None else effect_chart_html(svg, es)
        except Exception as exc:  # the numbers still show when a chart cannot be drawn
            chart = no_chart(exc)
        self.output.value = effect_html(es, chart, source)

    def _raw_field_at_fault(self) -> W.Widget | None:
        """With typed scores: the first of the pre and post boxes that is blank or cannot
        be read (None in the other modes, or when both can be read)."""
        if self.mode.value != "raw":
            return None
        for wave, box in (("pre", self.pre_text), ("post", self.post_text)):
            if not box.value.strip():
                return box
            try:
                parse_scores(box.value, wave)
            except ValueError:
                return box
        return None

    def _effect_size(self) -> tuple[EffectSize | None, str]:
        mode = self.mode.value
        if mode == "stored":
            name = self.assessment.value
            if not name or name not in self.groups:
                return None, ""
            pre, post = self.groups[name]
            return effect_size(pre, post), f"Stored scores: {name}"
        if mode == "raw":
            pre_text, post_text = self.pre_text.value, self.post_text.value
            if not pre_text.strip() or not post_text.strip():
                missing = "pre" if not pre_text.strip() else "post"
                raise ValueError(f"Type or paste the {missing} scores first.")
            typed_pre = parse_scores(pre_text, "pre")
            typed_post = parse_scores(post_text, "post")
            return effect_size(typed_pre, typed_post), "Scores typed or pasted in"
        values = summary_values({k: box.value for k, box in self.summary_inputs.items()})
        es = effect_size_from_summary(
            values["mean_pre"],
            values["sd_pre"],
            values["n_pre"],  # type: ignore[arg-type]
            values["mean_post"],
            values["sd_post"],
            values["n_post"],  # type: ignore[arg-type]
        )
        return es, "Summary statistics entered"

    @guarded("Saving the scores")
    def save_scores(self) -> None:
        """Save the typed pre and post scores to the collective under an assessment name."""
        self.notice.clear()
        name = " ".join(self.save_name.value.split())
        if not name:
            self.field_error(self.save_name, "Give the assessment a name before saving its scores.")
            return
        if name in self.groups:
            self.field_error(
                self.save_name,
                f"Scores for an assessment called '{name}' are already stored; give these "
                "scores another name.",
            )
            return
        scores: dict[str, list[float]] = {}
        for wave, box in (("pre", self.pre_text), ("post", self.post_text)):
            try:
                scores[wave] = [x for x in parse_scores(box.value, wave) if x is not None]
            except ValueError as exc:
                self.field_error(box, str(exc))
                return
        pre, post = scores["pre"], scores["post"]
        if len(pre) < 2 or len(post) < 2:
            self.field_error(
                self.pre_text if len(pre) < 2 else self.post_text,
                "Type at least 2 pre and 2 post scores before saving.",
            )
            return

        def save() -> None:
            self.net.add_scores(self.collective, name, "pre", pre, actor=self.ctx.actor)
            self.net.add_scores(self.collective, name, "post", post, actor=self.ctx.actor)

        if self.guard("Saving the scores", save):
            self.room.changed()
            self.notice.show(
                f"Saved {len(pre)} pre and {len(post)} post scores as '{name}': they are "
                "listed under Stored scores.",
                "success",
            )
