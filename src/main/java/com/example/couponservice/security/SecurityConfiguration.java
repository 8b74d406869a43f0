package com.example.couponservice.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.example.couponservice.web.FilterOrders;
import com.example.couponservice.web.ProblemResponder;

/** Protects the admin endpoints when an admin token is configured. */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(SecurityConfiguration.class);

	@Bean
	FilterRegistrationBean<AdminTokenFilter> adminTokenFilter(SecurityProperties properties,
			ProblemResponder problems) {
		if (properties.adminToken() == null) {
			logger.warn("coupon.security.admin-token is not set: anyone who can reach this service can generate "
					+ "and void coupons. Set COUPON_SECURITY_ADMIN_TOKEN in any shared environment.");
		}
		FilterRegistrationBean<AdminTokenFilter> registration = new FilterRegistrationBean<>(
				new AdminTokenFilter(properties.adminToken(), problems));
		registration.setOrder(FilterOrders.ADMIN_TOKEN);
		return registration;
	}

}
