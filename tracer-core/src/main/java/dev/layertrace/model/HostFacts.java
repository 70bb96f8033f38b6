package dev.layertrace.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Facts about the machine a capture was recorded on. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HostFacts(String hostname, String kernelRelease, String arch, String command) {}
