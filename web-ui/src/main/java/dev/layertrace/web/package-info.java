/**
 * {@code layertrace serve}: a Netty HTTP server with a JSON API over a folder of captures, exports
 * rendered by tracer-core, an optional live-trace stream, and the static page under
 * {@code resources/web/}. No servlet container; blocking work (files, Graphviz) runs off the event
 * loop.
 */
package dev.layertrace.web;
