from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def procedures(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")
