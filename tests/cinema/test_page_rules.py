"""Where each page type may be created: the tree is home → movies → movie → show and
home → theaters → theater."""

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data

from cinema.models import MovieIndexPage, MoviePage, ShowPage, TheaterIndexPage, TheaterPage
from home.models import HomePage
from tests import factories


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {MovieIndexPage, TheaterIndexPage})
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertCanNotCreateAt(HomePage, MoviePage)
        self.assertCanNotCreateAt(HomePage, ShowPage)

    def test_movie_index_page(self):
        self.assertAllowedParentPageTypes(MovieIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(MovieIndexPage, {MoviePage})
        self.assertCanCreateAt(HomePage, MovieIndexPage)
        self.assertCanNotCreateAt(Page, MovieIndexPage)
        self.assertCanNotCreateAt(MovieIndexPage, TheaterPage)

    def test_movie_page(self):
        self.assertAllowedParentPageTypes(MoviePage, {MovieIndexPage})
        self.assertAllowedSubpageTypes(MoviePage, {ShowPage})
        self.assertCanCreateAt(MovieIndexPage, MoviePage)
        self.assertCanNotCreateAt(HomePage, MoviePage)
        self.assertCanNotCreateAt(TheaterIndexPage, MoviePage)
        self.assertCanNotCreateAt(MoviePage, MoviePage)

    def test_theater_index_page(self):
        self.assertAllowedParentPageTypes(TheaterIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(TheaterIndexPage, {TheaterPage})
        self.assertCanCreateAt(HomePage, TheaterIndexPage)
        self.assertCanNotCreateAt(MovieIndexPage, TheaterIndexPage)

    def test_theater_page(self):
        self.assertAllowedParentPageTypes(TheaterPage, {TheaterIndexPage})
        self.assertAllowedSubpageTypes(TheaterPage, set())
        self.assertCanCreateAt(TheaterIndexPage, TheaterPage)
        self.assertCanNotCreateAt(MovieIndexPage, TheaterPage)
        self.assertCanNotCreateAt(TheaterPage, ShowPage)

    def test_show_page(self):
        self.assertAllowedParentPageTypes(ShowPage, {MoviePage})
        self.assertAllowedSubpageTypes(ShowPage, set())
        self.assertCanCreateAt(MoviePage, ShowPage)
        self.assertCanNotCreateAt(MovieIndexPage, ShowPage)
        self.assertCanNotCreateAt(TheaterPage, ShowPage)
        self.assertCanNotCreateAt(ShowPage, ShowPage)

    def test_movie_index_created_through_the_admin(self):
        self.login()
        self.assertCanCreate(factories.home_page(), MovieIndexPage, nested_form_data({"title": "Movies", "intro": "All films"}))
        self.assertEqual(MovieIndexPage.objects.get().url_path, "/home/movies/")


@pytest.mark.django_db
@pytest.mark.parametrize("index_model", [MovieIndexPage, TheaterIndexPage])
def test_only_one_index_page_of_each_kind(home_page, index_model):
    assert index_model.can_create_at(home_page)
    home_page.add_child(instance=index_model(title="Index", slug="index"))
    assert not index_model.can_create_at(home_page)


@pytest.mark.django_db
def test_only_one_home_page(home_page):
    assert not HomePage.can_create_at(Page.get_first_root_node())
