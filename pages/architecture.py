"""The chapter's models layer by layer (listings 5.1-5.2, 5.5, 5.13, 5.16-5.22): the book's
summary table of the real Keras models, where each parameter count comes from, how the feature
maps shrink, and model_no_max_pool (section 5.1.2). The summaries are data built once from the
models (core.explainers.architecture): no Keras here."""
import streamlit as st

from core import recipes
from core.artifacts import shipped
from core.explainers import architecture
from pages import _components as ui
from pages import _inputs as inputs
from pages import _theme as theme
from pages._i18n import t
from pages._plotly import go

shipped_bases = st.cache_data(shipped.shipped_bases, ttl=10, show_spinner=False)
NAME_PX = 11  # px per character of a layer's name at theme.FONT (18 px): its margin's width
AXIS_PX = 70  # px under the chart for the axis' numbers and title

st.title(t("architecture.title"))
st.markdown(t("architecture.intro"))

choice = st.columns(2)
recipe_id = choice[0].selectbox(t("architecture.recipe"), recipes.RECIPE_IDS, key="architecture.recipe", bind="query-params",
                                format_func=inputs.names("recipe", recipes.RECIPE_IDS))
recipe = recipes.get(recipe_id)
base = None
if recipe.pretrained:
    served = shipped_bases()
    default = next(iter(served), recipes.DEFAULT_BASE)  # the base of the models a class sees
    base = choice[1].selectbox(t("architecture.base"), recipes.BASES, key="architecture.base", bind="query-params",
                               index=list(recipes.BASES).index(default),
                               format_func=inputs.names("architecture.base", recipes.BASES))
    groups = [t("architecture.served_group", base=t(f"architecture.base_name.{name}"),
                recipes=t("architecture.list_separator").join(t(f"recipe.{r}") for r in served_recipes))
              for name, served_recipes in served.items()]
    choice[1].caption(t("architecture.served", groups="; ".join(groups)) if groups else
                      t("architecture.served_none", base=t(f"architecture.base_name.{default}")))
st.caption(t("architecture.listings", listings=recipe.listings))

model = architecture.summary(recipe_id, base)


def table(rows: list[dict]) -> None:
    header = {column: t(f"architecture.col.{column}") for column in ("layer", "shape", "params", "formula")}
    widths = {"layer": 270, "shape": 150, "params": 100, "formula": 230}  # px: all fit 1280 wide, in an expander too
    st.dataframe([{
        header["layer"]: f"{row['layer']} ({row['type']})",
        header["shape"]: str(tuple(row["output_shape"])),
        header["params"]: f"{row['params']:,}",
        header["formula"]: t("architecture.see_inside") if row["nested"] else row["formula"],
    } for row in rows], hide_index=True, width="stretch",
        column_config={header[column]: st.column_config.TextColumn(width=width) for column, width in widths.items()})


table(model["rows"])
totals = st.columns([2, 2, 3])  # room for the receptive field's long label at 1280 wide
totals[0].metric(t("architecture.total"), f"{model['total']:,}")
totals[1].metric(t("architecture.trainable"), f"{model['trainable']:,}")
field = model["receptive_field"]
totals[2].metric(t("architecture.receptive"), f"{field} × {field}")
if field >= recipe.input_shape[0]:
    totals[2].caption(t("architecture.receptive_whole", side=recipe.input_shape[0]))
for name, rows in model["nested"].items():
    with st.expander(t("architecture.inside", name=name, count=len(rows))):
        table(rows)

st.subheader(t("architecture.shrinking"))
sizes = architecture.spatial_sizes(model["rows"], model["nested"])
if len(sizes) > 25:
    sizes = architecture.size_changes(sizes)
labels = [f"{s['height']}×{s['width']}×{s['depth']}" for s in sizes]
names = [f"{i}. {s['layer']}" for i, s in enumerate(sizes)]
chart = go.Figure(go.Bar(  # across, one row per layer: every name and label reads horizontally
    y=names, x=[s["height"] for s in sizes], orientation="h", marker_color=theme.TEAL,
    text=labels, textposition="outside", textfont=theme.CELL_FONT, constraintext="none",
    cliponaxis=False, hovertext=labels, hovertemplate="%{y}: %{hovertext}<extra></extra>"))
widest = max(s["height"] for s in sizes)
# fixed margins wide enough for the layer names and the axis title: automargin would make plotly.js
# measure the labels and lay the chart out again
chart.update_layout(height=90 + 26 * len(sizes), font=theme.FONT,
                    margin=dict(l=10 + NAME_PX * max(map(len, names)), r=10, t=10, b=AXIS_PX),
                    xaxis=dict(title=dict(text=t("architecture.side"), font=theme.FONT), tickfont=theme.FONT,
                               range=[0, 1.3 * widest]),  # room for the labels beyond the bars
                    yaxis=dict(autorange="reversed", tickfont=theme.FONT), plot_bgcolor=theme.WHITE)
ui.show(chart, key="architecture.sizes_fig")
st.caption(t("architecture.shrinking_caption"))

st.subheader(t("architecture.no_pool"))
st.markdown(t("architecture.no_pool_intro"))
comparison = architecture.pooling_comparison()
for column, key in zip(st.columns(2), ("with_pooling", "without_pooling")):
    numbers = comparison[key]
    field = numbers["receptive_field"]
    with column:
        st.markdown(f"#### {t(f'architecture.{key}')}")
        st.metric(t("architecture.last_map"), " × ".join(map(str, numbers["shape"])))
        st.metric(t("architecture.receptive"), f"{field} × {field}")
        st.metric(t("architecture.coefficients"), f"{numbers['coefficients']:,}")
        st.markdown(f"**{numbers['flatten_formula']}**")
        st.metric(t("architecture.dense_on_top", units=architecture.BOOK_DENSE_ON_TOP),
                  f"{numbers['dense_params']:,}")
        st.markdown(f"**{numbers['dense_formula']}**")
        with st.expander(t("architecture.layers")):
            table(numbers["rows"])
st.info(t("architecture.no_pool_lesson"))
