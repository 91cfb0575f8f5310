/**
 * The training data a {@code hone.yaml} names ({@code data:}) and its versions: {@link dev.hone.dataset.DataVersions}
 * says which version of each source is there now — a content hash of a file or a directory (streamed, each file
 * hashed again only when its size or time changed, at most {@value dev.hone.dataset.DataVersions#MAX_FILES} files),
 * the {@code ETag} or {@code Last-Modified} of a URL through a conditional request, else a hash of its body — reading
 * only what {@link dev.hone.dataset.DataRoots} allows.
 */
package dev.hone.dataset;
