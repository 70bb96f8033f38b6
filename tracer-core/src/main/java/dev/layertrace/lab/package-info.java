/**
 * The lab: the nested container → microVM → host → internet topology of DESIGN.md, described as data
 * (namespaces, links, addresses, routes, sysctls, rules), the steps that build it, the fault catalog
 * with the verdict each fault should produce, and the model of a lab's observed state (snapshot,
 * digest, health). Pure: the commands are executed by {@code dev.layertrace.sys.LabSystem}.
 */
package dev.layertrace.lab;
