package com.example.couponservice.ratelimit;

import java.util.Locale;

/**
 * Whom a bucket counts: one client address (an IPv6 client by its /64), or the network
 * around it, so that an attacker with a cheap /48 or /24 does not get thousands of
 * budgets.
 */
public enum Scope {

	ADDRESS, NETWORK;

	/** The label value in metrics and logs. */
	public String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}
