package io.netron.protocol;

/**
 * A service passed back to its owner as an argument, by definition id (extension 108).
 *
 * @param defId the definition id
 */
public record Reference(String defId) {

}
