/**
 * Docker as data: where the daemon listens ({@link dev.layertrace.docker.DockerHost}), the records the
 * Engine API returns for containers, their JSON decoding, and how a user's container name or id
 * prefix resolves to one container. Pure: the socket client lives in {@code dev.layertrace.sys}.
 */
package dev.layertrace.docker;
