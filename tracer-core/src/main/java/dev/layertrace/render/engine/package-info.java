/**
 * The graphviz-java boundary: {@link dev.layertrace.render.engine.GraphvizEngine} is the only class
 * in layertrace that imports it (a test checks this).
 */
package dev.layertrace.render.engine;
