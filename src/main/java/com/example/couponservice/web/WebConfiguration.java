package com.example.couponservice.web;

import org.apache.catalina.core.StandardHost;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.example.couponservice.coupon.CouponProperties;

/** Request-level protections that apply to every endpoint. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

	/** Tomcat's own rejections (before any servlet) answer with problem documents too. */
	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
		return (factory) -> factory.addContextCustomizers((context) -> {
			if (context.getParent() instanceof StandardHost host) {
				host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
			}
		});
	}

	@Bean
	FilterRegistrationBean<ClientAddressFilter> clientAddressFilter() {
		FilterRegistrationBean<ClientAddressFilter> registration = new FilterRegistrationBean<>(
				new ClientAddressFilter());
		registration.setOrder(FilterOrders.CLIENT_ADDRESS);
		return registration;
	}

	@Bean
	FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(CouponProperties properties,
			ProblemResponder problems) {
		FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestBodyLimitFilter(properties.maxRequestBodySize(), problems));
		registration.setOrder(FilterOrders.BODY_LIMIT);
		return registration;
	}

}
