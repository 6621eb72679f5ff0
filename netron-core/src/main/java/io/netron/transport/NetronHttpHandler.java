package io.netron.transport;

import java.io.IOException;
import java.io.OutputStream;

import io.netron.core.Netron;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.HttpRequestHandler;

/**
 * The HTTP transport of the Titan generation on the servlet stack ({@code POST <path>/invoke},
 * {@code /batch}, {@code /authenticate}, {@code GET <path>/openapi.json}): the request handed to
 * the {@link NetronHttpService} on the container's thread, its answer written back.
 */
public class NetronHttpHandler implements HttpRequestHandler {

	private final NetronHttpService service;

	/**
	 * A handler.
	 * @param netron the node whose services it calls
	 * @param maxBodySize the largest request body, in bytes (413 past it)
	 * @param maxBatchSize the most requests in one batch (413 past it)
	 */
	public NetronHttpHandler(Netron netron, int maxBodySize, int maxBatchSize) {
		this(new NetronHttpService(netron, maxBodySize, maxBatchSize));
	}

	/**
	 * A handler.
	 * @param netron the node whose services it calls
	 * @param maxBodySize the largest request body, in bytes (413 past it)
	 * @param maxBatchSize the most requests in one batch (413 past it)
	 * @param maxRequestsInFlight the most invocations served at once over HTTP, a batch's items
	 * included (503 past it)
	 */
	public NetronHttpHandler(Netron netron, int maxBodySize, int maxBatchSize, int maxRequestsInFlight) {
		this(new NetronHttpService(netron, maxBodySize, maxBatchSize, maxRequestsInFlight));
	}

	/**
	 * A handler of a service.
	 * @param service serves the requests
	 */
	public NetronHttpHandler(NetronHttpService service) {
		this.service = service;
	}

	/** {@return the service that serves the requests} */
	public NetronHttpService service() {
		return this.service;
	}

	/** {@return the invocations being served over HTTP now} */
	public int requestsInFlight() {
		return this.service.requestsInFlight();
	}

	@Override
	public void handleRequest(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
		try (NetronHttpService.Response answer = this.service.handle(new NetronHttpService.Request(request.getMethod(),
				request.getRequestURI(), request.getContentType(), request.getContentLengthLong(), request.getInputStream(),
				request.getUserPrincipal(), request.getRemoteAddr() + ":" + request.getRemotePort()))) {
			response.setStatus(answer.status());
			answer.headers().forEach(response::setHeader);
			response.setContentLength(answer.body().length);
			OutputStream out = response.getOutputStream();
			out.write(answer.body());
		}
	}

}
