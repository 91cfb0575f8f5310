/**
 * What this Hone is: {@link dev.hone.build.Build}, the version and commit the build wrote into
 * {@code dev/hone/build.properties}, read in this one place for {@code hone --version} and {@code hone_build_info}.
 */
package dev.hone.build;
