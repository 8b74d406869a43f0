package com.example.couponservice.web;

/**
 * A request a filter refuses before it reaches a controller (rate limit, missing token,
 * oversized body). Filters hand it to the {@link ProblemResponder} so the answer is the
 * same problem document a controller's error would get.
 */
public class RejectedRequestException extends RuntimeException {

	private final ProblemType type;

	public RejectedRequestException(ProblemType type, String detail) {
		super(detail);
		this.type = type;
	}

	public ProblemType getType() {
		return this.type;
	}

}
