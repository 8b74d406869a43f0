package com.example.couponservice.coupon.web;

import java.io.PrintWriter;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import com.example.couponservice.coupon.Coupon;
import com.example.couponservice.coupon.CouponQuery;
import com.example.couponservice.coupon.CouponService;

/**
 * The CSV export of a listing: one line per coupon, written as the store hands them over,
 * so memory stays constant however many there are. Fields are quoted as RFC 4180 says
 * when they need it, and a customer id that a spreadsheet would run as a formula
 * ({@code =}, {@code +}, {@code -}, {@code @} first) is prefixed with {@code '}.
 */
final class CouponCsv {

	static final String HEADER = "code,status,campaign,customerId,createdAt,expiresAt,redeemedAt,voidedAt";

	private CouponCsv() {
	}

	static void export(CouponService service, CouponQuery query, PrintWriter out) {
		out.write(HEADER);
		out.write('\n');
		service.export(query, (listed) -> {
			Coupon coupon = listed.coupon();
			out.write(coupon.code());
			out.write(',');
			out.write(listed.status().name());
			out.write(',');
			out.write(field(coupon.campaign()));
			out.write(',');
			out.write(field(coupon.customerId()));
			out.write(',');
			out.write(time(coupon.createdAt()));
			out.write(',');
			out.write(time(coupon.expiresAt()));
			out.write(',');
			out.write(time(coupon.redeemedAt()));
			out.write(',');
			out.write(time(coupon.voidedAt()));
			out.write('\n');
		});
		out.flush();
	}

	private static String time(@Nullable Instant instant) {
		return (instant != null) ? instant.toString() : "";
	}

	static String field(@Nullable String value) {
		if (value == null || value.isEmpty()) {
			return "";
		}
		String text = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
		if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
			return '"' + text.replace("\"", "\"\"") + '"';
		}
		return text;
	}

}
