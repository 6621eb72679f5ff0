package io.netron.autoconfigure.scanned;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;

/**
 * Services found by component scanning: one exposed, one only handed out as a sub-service.
 */
public final class ScannedServices {

	private ScannedServices() {
	}

	@NetronService("shelf@1.0.0")
	public static class Shelf {

		@Public
		public Book book(String title) {
			return new Book(title);
		}

	}

	/** Not a bean: its constructor takes what no bean provides. */
	@NetronService(value = "shelf.book@1.0.0", expose = false)
	public static class Book {

		private final String title;

		public Book(String title) {
			this.title = title;
		}

		@Public
		public String title() {
			return this.title;
		}

	}

}
