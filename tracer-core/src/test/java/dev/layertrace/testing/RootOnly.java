package dev.layertrace.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test (or class) that needs root: it creates namespaces, opens raw sockets, drives
 * iptables. Tagged {@code root}; when not uid 0 it is skipped with a printed reason, never passed.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("root")
@ExtendWith(RootOnlyCondition.class)
public @interface RootOnly {}
