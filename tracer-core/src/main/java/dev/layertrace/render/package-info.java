/**
 * Renderers: a capture as terminal text, DOT, SVG, PNG, Mermaid, a Markdown incident report, or
 * JSON. {@link dev.layertrace.render.TracedPath} derives each layer's
 * {@link dev.layertrace.render.LayerStatus} once, so every format tells the same story;
 * {@link dev.layertrace.render.Renderers} chooses a {@link dev.layertrace.render.Renderer} by
 * format name or file extension. Only {@code dev.layertrace.render.engine.GraphvizEngine} touches
 * graphviz-java.
 */
package dev.layertrace.render;
