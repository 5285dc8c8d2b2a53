package main

import "github.com/chromedp/chromedp"

func chromedpSetValue(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.SetValue(chromedp.CSS(sel), value)
}

func chromedpSubmit(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Submit(chromedp.CSS(sel))
}
