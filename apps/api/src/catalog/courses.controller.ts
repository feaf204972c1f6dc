import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { catalogError, Course, CourseRepository, CourseService, coursesForAudience, electiveTargetFor, hoursTargetFor, LessonRepository, ProgramRepository } from '@app/catalog';
import { auditActorOf, AuthUser, CurrentUser, Roles } from '@app/identity';
import {
  CourseDto,
  CourseListDto,
  CourseQueryDto,
  CreateCourseDto,
  CreateLessonDto,
  LessonDto,
  MyCoursesDto,
  ReorderLessonsDto,
  UpdateCourseDto,
} from './course.dto';
import { TraineeAudience } from './trainee-audience';

@ApiTags('课程 courses')
@ApiBearerAuth()
@Controller()
export class CoursesController {
  constructor(
    private readonly programs: ProgramRepository,
    private readonly courses: CourseRepository,
    private readonly lessons: LessonRepository,
    private readonly courseService: CourseService,
    private readonly audience: TraineeAudience,
  ) {}

  @Roles('admin', 'institution', 'auditor')
  @Get('courses')
  @ApiOperation({ summary: '某培训项目的课程（含课时、适用对象）' })
  @ApiOkResponse({ type: CourseListDto })
  async list(@Query() q: CourseQueryDto): Promise<CourseListDto> {
    const courses = await this.courses.listByProgram(q.programId);
    return { items: await this.withLessons(courses) };
  }

  @Roles('admin', 'institution', 'auditor')
  @Get('courses/:id')
  @ApiOperation({ summary: '课程详情' })
  @ApiOkResponse({ type: CourseDto })
  async get(@Param('id') id: string): Promise<CourseDto> {
    const course = await this.courses.findById(id);
    if (!course) throw catalogError('COURSE_NOT_FOUND');
    return CourseDto.from(course, await this.lessons.listByCourse(id));
  }

  @Roles('admin')
  @Post('courses')
  @ApiOperation({ summary: '新建课程（适用对象：行业 × 人员类别，分别设为必修或选修）' })
  @ApiCreatedResponse({ type: CourseDto })
  async create(@CurrentUser() user: AuthUser, @Body() dto: CreateCourseDto): Promise<CourseDto> {
    const { course, lessons } = await this.courseService.create(auditActorOf(user), dto);
    return CourseDto.from(course, lessons);
  }

  @Roles('admin')
  @Patch('courses/:id')
  @ApiOperation({ summary: '修改课程（名称、简介、适用对象、截止日期）' })
  @ApiOkResponse({ type: CourseDto })
  async update(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: UpdateCourseDto): Promise<CourseDto> {
    const course = await this.courseService.update(auditActorOf(user), id, dto);
    return CourseDto.from(course, await this.lessons.listByCourse(id));
  }

  @Roles('admin')
  @Post('courses/:id/lessons')
  @ApiOperation({ summary: '新增课时（排在最后；视频随后上传）' })
  @ApiCreatedResponse({ type: LessonDto })
  async addLesson(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: CreateLessonDto): Promise<LessonDto> {
    return LessonDto.from(await this.courseService.addLesson(auditActorOf(user), id, dto.title));
  }

  @Roles('admin')
  @Put('courses/:id/lesson-order')
  @HttpCode(200)
  @ApiOperation({ summary: '调整课时顺序' })
  @ApiOkResponse({ type: [LessonDto] })
  async reorder(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: ReorderLessonsDto): Promise<LessonDto[]> {
    return (await this.courseService.reorderLessons(auditActorOf(user), id, dto.lessonIds)).map(LessonDto.from);
  }

  @Roles('admin')
  @Patch('lessons/:id')
  @ApiOperation({ summary: '修改课时名称' })
  @ApiOkResponse({ type: LessonDto })
  async renameLesson(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: CreateLessonDto): Promise<LessonDto> {
    return LessonDto.from(await this.courseService.renameLesson(auditActorOf(user), id, dto.title));
  }

  @Roles('admin', 'institution', 'auditor')
  @Get('lessons/:id')
  @ApiOperation({ summary: '课时状态（发布状态、时长、最近的处理任务）' })
  @ApiOkResponse({ type: LessonDto })
  async lesson(@Param('id') id: string): Promise<LessonDto> {
    const lesson = await this.lessons.findById(id);
    if (!lesson) throw catalogError('LESSON_NOT_FOUND');
    return LessonDto.from(lesson);
  }

  @Roles('trainee')
  @Get('me/courses')
  @ApiOperation({ summary: '我的课程：按本人所属行业与人员类别，分必修、选修，含截止日期与选修学时要求' })
  @ApiOkResponse({ type: MyCoursesDto })
  async mine(@CurrentUser() user: AuthUser): Promise<MyCoursesDto> {
    const enrolments = await this.audience.enrolments(user);
    const programs: MyCoursesDto['programs'] = [];
    for (const e of enrolments) {
      const program = await this.programs.findById(e.programId);
      if (!program) continue;
      const courses = await this.courses.listByProgram(program.id);
      const lessons = await this.lessons.listByCourses(courses.map((c) => c.id));
      // Trainees see only published lessons: drafts and rejected uploads are the administrator's business.
      const dto = (c: Course) => CourseDto.from(c, lessons.filter((l) => l.courseId === c.id && l.status === 'published'));
      const split = coursesForAudience(courses, e, program);
      const entry = (x: (typeof split.required)[number]) => ({ course: dto(x.course), requirement: x.requirement, deadline: x.deadline });
      programs.push({
        programId: program.id,
        programName: program.name,
        industry: e.industry,
        category: e.category,
        categoryName: program.categories.find((c) => c.code === e.category)?.name ?? e.category,
        minutesPerHour: program.minutesPerHour,
        electiveMinHours: electiveTargetFor(program, e),
        hoursTarget: hoursTargetFor(program, e.category),
        required: split.required.map(entry),
        elective: split.elective.map(entry),
      });
    }
    return { programs };
  }

  private async withLessons(courses: Course[]): Promise<CourseDto[]> {
    const lessons = await this.lessons.listByCourses(courses.map((c) => c.id));
    return courses.map((c) => CourseDto.from(c, lessons.filter((l) => l.courseId === c.id)));
  }
}
