/**
 * Command-line sub-commands of the jar that talk to a running Shelf ({@code java -jar shelf.jar migrations …}): the
 * entry point hands them its arguments and standard streams, they print to the streams they are given.
 */
@org.springframework.modulith.NamedInterface("operations-cli")
package dev.shelf.app.cli;
