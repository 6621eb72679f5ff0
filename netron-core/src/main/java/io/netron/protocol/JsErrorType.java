package io.netron.protocol;

/**
 * The standard JavaScript error classes and their ids in the Error extension (126).
 */
public enum JsErrorType {

	/** {@code Error}, and every class that is not a standard one. */
	ERROR(1, "Error"),

	/** {@code SyntaxError}. */
	SYNTAX_ERROR(2, "SyntaxError"),

	/** {@code TypeError}. */
	TYPE_ERROR(3, "TypeError"),

	/** {@code ReferenceError}. */
	REFERENCE_ERROR(4, "ReferenceError"),

	/** {@code RangeError}. */
	RANGE_ERROR(5, "RangeError"),

	/** {@code EvalError}. */
	EVAL_ERROR(6, "EvalError"),

	/** {@code URIError}. */
	URI_ERROR(7, "URIError");

	private static final JsErrorType[] BY_ID = values();

	private final int id;

	private final String jsName;

	JsErrorType(int id, String jsName) {
		this.id = id;
		this.jsName = jsName;
	}

	/** {@return the standard id written on the wire} */
	public int id() {
		return this.id;
	}

	/** {@return the JavaScript constructor name} */
	public String jsName() {
		return this.jsName;
	}

	/**
	 * The class for a wire id; unknown ids decode as {@link #ERROR}, as the TypeScript decoder does.
	 * @param id the wire id
	 * @return the class
	 */
	public static JsErrorType fromId(int id) {
		return (id >= 1 && id <= BY_ID.length) ? BY_ID[id - 1] : ERROR;
	}

}
